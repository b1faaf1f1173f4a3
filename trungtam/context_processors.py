from trungtam.scoping import Right, has_right

SITE_NAME = "Trung tâm Chính trị"


def navigation(request):
    """What the navigation bar offers this user (DESIGN §7)."""
    user = request.user
    if not user.is_authenticated:
        return {"nav": {}, "issuer_name": SITE_NAME}
    manage = has_right(user, Right.MANAGE)
    reports = has_right(user, Right.REPORTS)
    return {
        "nav": {
            "manage": manage,
            "reports": reports,
            "admin": user.is_staff,
            "users": has_right(user, Right.USERS),
            "lecturer": user.is_lecturer,
            # A unit's liaison: its unit's page (staff hold the right too, and reach units from
            # the registry instead).
            "unit": has_right(user, Right.UNIT) and user.is_unit_liaison,
            # The class list as the menu names it, in the breadcrumbs and on the list itself: a
            # lecturer who only teaches has "Lớp của tôi" in the menu.
            "courses_label": "Lớp học" if manage or reports else "Lớp của tôi",
        },
        # Pages speak for the user's centre, never for the software (its name means nothing to
        # the people who use it); one who sees every centre reads "Các trung tâm chính trị".
        "issuer_name": user.centre.name if user.centre_id else "Các trung tâm chính trị",
    }
