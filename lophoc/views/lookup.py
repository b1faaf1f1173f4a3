"""Finding the class a view works on: one lookup for every class screen (DESIGN §7)."""

from django.http import HttpRequest

from lophoc.models import Course
from trungtam.scoping import Right, get_visible_or_404, require


def course_or_404(request: HttpRequest, pk, right: Right | None = None) -> Course:
    """The class in the user's scope with its centre and program: 404 outside the scope, whether
    or not it exists; then, when a right is named, 403 inside the scope without it."""
    course = get_visible_or_404(
        request.user, Course.objects.select_related("centre", "program"), pk=pk
    )
    if right is not None:
        require(request.user, right)
    return course
