"""What the evaluation adds to the class page and the lecturer's page (registered in
DanhgiaConfig.ready()); each answer runs a fixed number of queries."""

from danhgia import results
from trungtam.hooks import Panel
from trungtam.scoping import Right, has_right


def course_panel(request, course):
    """Answers x / codes y and the link to the results; for staff the slips and paper forms.
    Officials and the class's lecturers see the counts and the link (the results page decides
    what each reads)."""
    user = request.user
    if not has_right(user, Right.VIEW):
        return None
    answers, codes = results.class_counts(course)
    return Panel(
        "danhgia/panel_course.html",
        {
            "course": course,
            "answers": answers,
            "codes": codes,
            "shown": results.shows_figures(answers),
            "min_answers": results.MIN_ANSWERS,
            "can_manage": has_right(user, Right.MANAGE),
        },
        order=60,
    )


def lecturer_panel(request, lecturer, year):
    """The lecturer's ratings in the year: for the lecturer themself and for staff."""
    user = request.user
    if not (has_right(user, Right.MANAGE) or (lecturer.user_id and lecturer.user_id == user.pk)):
        return None
    return Panel(
        "danhgia/panel_lecturer.html",
        {
            "lecturer": lecturer,
            "summary": results.lecturer_year(lecturer, year),
            "min_answers": results.MIN_ANSWERS,
        },
        order=60,
    )
