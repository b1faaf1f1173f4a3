"""The one mechanism that decides what a user sees and may do (DESIGN §7).

Every view and admin page finds objects through `visible()` / `get_visible_or_404()` and checks
rights with `require()`: outside one's scope an object does not exist (404); inside the scope
without the right the answer is 403.

Models say how they reach their centre with `centre_lookup` (e.g. "course__centre"), and, when a
lecturer may see them, how they reach a class with `course_lookup` (e.g. "enrolment__course").
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from trungtam.hooks import Hook
from trungtam.listing import parse_id
from trungtam.models import Centre, Role, User


class Right(StrEnum):
    VIEW = "view"  # open the pages of objects in scope
    PEOPLE = "people"  # read people's records: rosters, attendance, scores (officials never)
    MANAGE = "manage"  # programs, classes, sessions, units, trainees, lecturers
    IMPORT_EXPORT = "import_export"  # nominee imports, printed lists
    ATTENDANCE = "attendance"
    GRADES = "grades"
    CLOSE = "close"  # close grading, issue and void certificates
    REPORTS = "reports"
    USERS = "users"  # users and centres
    UNIT = "unit"  # a sending unit's own pages: its people, calls for nominees, the needs survey


RIGHTS: dict[str, frozenset[Right]] = {
    Role.ADMIN: frozenset(Right),
    Role.STAFF: frozenset(Right) - {Right.USERS},
    # Object-level limits (own sessions, assigned assessments) are checked by the views that act.
    Role.LECTURER: frozenset({Right.VIEW, Right.PEOPLE, Right.ATTENDANCE, Right.GRADES}),
    # Officials read figures, never a list of people (DESIGN §7, §8b).
    Role.OFFICIAL: frozenset({Right.VIEW, Right.REPORTS}),
    # A unit's liaison sees only its own unit's pages, never the centre's (DESIGN §7).
    Role.UNIT: frozenset({Right.UNIT}),
}


def has_right(user: User, right: Right) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return right in RIGHTS.get(user.role, frozenset())


def require(user: User, right: Right) -> None:
    """Raise 403 when the user lacks the right (call after the object was found in scope)."""
    if not has_right(user, right):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


def centres_for(user: User) -> QuerySet[Centre]:
    if not user.is_authenticated or not user.is_active:
        return Centre.objects.none()
    if user.sees_all_centres:
        return Centre.objects.all()
    return Centre.objects.filter(pk=user.centre_id)


def centre_chosen(user: User, chosen: str | None) -> tuple[Centre | None, list[Centre] | None]:
    """The centre a per-centre setting page works on: the user's own; for one who sees every
    centre, the one chosen with ?trung_tam= (None until a valid one is chosen), with the centres
    to choose from (None for a user of one centre)."""
    if user.centre_id:
        return user.centre, None
    centres = list(centres_for(user).order_by("name", "pk"))
    chosen_id = parse_id(chosen)
    return next((c for c in centres if c.pk == chosen_id), None), centres


# The classes a lecturer (given as their user) teaches: the classes app, above this layer, answers.
taught_courses = Hook("which classes does this user teach")


# The units a unit's liaison answers for (its unit and the units under it): the units app answers.
unit_scope = Hook("which units does this liaison answer for")


def visible(user: User, queryset: QuerySet) -> QuerySet:
    """The part of `queryset` the user may see at all."""
    model = queryset.model
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if not hasattr(model, "centre_lookup"):
        raise TypeError(f"{model.__name__} has no centre_lookup: it cannot be scoped")
    centre_lookup = model.centre_lookup
    if centre_lookup is None:
        # Data of no centre (e.g. public look-up records): only those who see every centre.
        return queryset if user.sees_all_centres else queryset.none()
    if not user.sees_all_centres:
        if user.centre_id is None:
            return queryset.none()
        queryset = queryset.filter(**{centre_lookup: user.centre_id})
    if user.is_unit_liaison:
        # Models say how they reach the unit that sent the person with `unit_lookup`; the rest
        # is none of a unit's business.
        unit_lookup = getattr(model, "unit_lookup", None)
        if unit_lookup is None:
            return queryset.none()
        return queryset.filter(**{f"{unit_lookup}__in": unit_scope(user).values("pk")})
    if user.role == Role.LECTURER and not user.is_superuser:
        course_lookup = getattr(model, "course_lookup", None)
        if model._meta.label == "giangvien.Lecturer":
            return queryset.filter(user=user)
        if course_lookup is None:
            return queryset.none()
        return queryset.filter(**{f"{course_lookup}__in": taught_courses(user).values("pk")})
    return queryset


def get_visible_or_404(user: User, queryset: QuerySet, **lookup):
    """One object in the user's scope, or 404 whether it does not exist or is out of scope."""
    try:
        return visible(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("Không tìm thấy.") from None


def get_for_right_or_404(user: User, queryset: QuerySet, right: Right, **lookup):
    """The object (404 outside the scope), then the right (403 inside it without the right)."""
    obj = get_visible_or_404(user, queryset, **lookup)
    require(user, right)
    return obj


def default_centre(user: User) -> Centre | None:
    """The centre new records of this user belong to."""
    if user.centre_id:
        return user.centre
    return None
