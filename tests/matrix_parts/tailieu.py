"""The permission matrix's rows for the tailieu app (see tests/matrix_parts/__init__.py)."""

import datetime

from django.utils import timezone

from lophoc.models import CourseStatus
from tailieu.materials import class_link
from tailieu.models import Material
from tests import builders
from tests.permission_matrix import MANAGE_OBJECT, MANAGE_PAGE, POST_ONLY, PUBLIC, Row
from tests.tailieu.helpers import make_material


def program(w):
    return {"pk": w.course.program_id}


def material(w):
    return {"pk": w.extra["tailieu_material"].pk}


def public(w):
    return {"token": w.extra["tailieu_token"]}


#            anonymous lecturer official other_staff staff admin province
ROWS: dict = {
    # Staff manage the materials of each program; officials and liaisons get no files.
    "tailieu:program_list": Row(MANAGE_PAGE),
    "tailieu:program_materials": Row(MANAGE_OBJECT, program),
    "tailieu:material_detail": Row(MANAGE_OBJECT, material),
    "tailieu:material_version": Row(MANAGE_OBJECT, material),
    # Removing: a confirmation page, then the POST; one version by POST from the material's page.
    "tailieu:material_delete": Row(MANAGE_OBJECT, material),
    "tailieu:version_delete": Row(
        POST_ONLY,
        lambda w: {"pk": w.extra["tailieu_material"].current_id},
        post="login 403 403 404 - - 403",
        unit="405",
        unit_post="403",
    ),
    # The current file: staff, and the lecturers of a class of the program.
    "tailieu:material_download": Row("login 200 403 404 200 200 403", material, unit="404"),
    # Older versions: staff only.
    "tailieu:version_download": Row(
        MANAGE_OBJECT, lambda w: {"pk": w.extra["tailieu_material"].current_id}
    ),
    "tailieu:link_renew": Row(
        POST_ONLY,
        lambda w: {"pk": w.course.pk},
        post="login 403 403 404 - - 403",
        unit="405",
        unit_post="404",
    ),
    # The class's trainee files, by the class's secret link: no login.
    "tailieu:public_class": Row(PUBLIC, public, unit="200"),
    "tailieu:public_download": Row(
        PUBLIC,
        lambda w: {"token": w.extra["tailieu_token"], "pk": w.extra["tailieu_material"].pk},
        unit="200",
    ),
    # The schedule letter to lecturers: staff.
    "tailieu:letter_page": Row(MANAGE_PAGE),
    "tailieu:letter_pdf": Row(MANAGE_OBJECT, lambda w: {"pk": w.lecturer.pk}),
    # An empty POST: back to the page with a message (nothing sent).
    "tailieu:letter_send": Row(
        POST_ONLY, post="login 403 403 302 302 302 403", unit="405", unit_post="403"
    ),
}


def build(world) -> dict:
    # A session to come: the schedule letter (from today on) has something to invite to.
    builders.make_session(
        world.course,
        date=timezone.localdate() + datetime.timedelta(days=2),
        lecturer=world.lecturer,
    )
    material = make_material(
        world.course.program, title="Tài liệu học tập", for_trainees=True, user=None
    )
    return {"tailieu_material": material, "tailieu_token": class_link(world.course).token}


def demo_extra(world) -> dict:
    material = (
        Material.objects.filter(
            program=world.course.program, for_trainees=True, current__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assert world.course.status != CourseStatus.CANCELLED and material is not None
    return {"tailieu_material": material, "tailieu_token": class_link(world.course).token}
