from trungtam.scoping import Right, has_right


def navigation(request):
    """What the navigation bar offers this user (DESIGN §7)."""
    user = request.user
    if not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "manage": has_right(user, Right.MANAGE),
            "reports": has_right(user, Right.REPORTS),
            "admin": user.is_staff,
            "users": has_right(user, Right.USERS),
            "lecturer": user.is_lecturer,
        }
    }
