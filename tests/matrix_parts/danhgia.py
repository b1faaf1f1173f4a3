"""The permission matrix's rows for the danhgia app (see tests/matrix_parts/__init__.py)."""

from danhgia import evaluations
from tests.permission_matrix import MANAGE_OBJECT, MANAGE_PAGE, POST_ONLY, PUBLIC, Row, course

ROWS: dict = {
    # The public form: anyone, with or without login; an empty POST (no code) is a miss, 200.
    "danhgia:public_form": Row(PUBLIC, post=PUBLIC, unit="200", unit_post="200"),
    # The centre's questions: those who manage (staff of another centre edit their own form).
    "danhgia:questions": Row(MANAGE_PAGE),
    # The year's classes with their answers: whoever reads classes (a lecturer, their own).
    "danhgia:course_list": Row("login 200 200 200 200 200 200"),
    # Results: the class's lecturer and officials read them too (what each sees differs).
    "danhgia:course_results": Row("login 200 200 404 200 200 200", course, unit="404"),
    # POST only: the codes are made (topped up) as the slips are printed.
    "danhgia:course_slips": Row(
        POST_ONLY, course, post="login 403 403 404 200 200 403", unit="405", unit_post="404"
    ),
    # An empty paper form is refused with a message on the page (200).
    "danhgia:paper_entry": Row(
        MANAGE_OBJECT, course, post="login 403 403 404 200 200 403", unit="404"
    ),
}


def build(world) -> dict:
    # Each centre's standard form exists already (it is made the first time it is needed, which
    # the matrix's GETs must not be).
    evaluations.questions_ensure(world.centre)
    evaluations.questions_ensure(world.other_centre)
    # The class's codes too: printing the slips again then only reads.
    evaluations.codes_top_up(course=world.course)
    return {}


def demo_extra(world) -> dict:
    return {}
