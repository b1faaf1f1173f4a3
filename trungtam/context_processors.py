from trungtam.scoping import Right, has_right


def navigation(request):
    """What the navigation bar offers this user (DESIGN §7)."""
    user = request.user
    if not user.is_authenticated:
        return {"nav": {}}
    manage = has_right(user, Right.MANAGE)
    reports = has_right(user, Right.REPORTS)
    return {
        "nav": {
            "manage": manage,
            "reports": reports,
            "admin": user.is_staff,
            "users": has_right(user, Right.USERS),
            "lecturer": user.is_lecturer,
            # The class list as the menu names it, in the breadcrumbs and on the list itself: a
            # lecturer who only teaches has "Lớp của tôi" in the menu.
            "courses_label": "Lớp học" if manage or reports else "Lớp của tôi",
        }
    }
