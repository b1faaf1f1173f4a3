"""What every class document shares (lophoc/documents/__init__.py)."""

import datetime

import pytest

from lophoc.documents import (
    DocumentRefused,
    build_course_document,
    centre_signer,
    course_lines,
    document_filename,
)
from lophoc.documents.attendance_sheet import session_groups
from lophoc.models import SessionPart
from tests import builders
from trungtam.models import Leader, LeaderRole


@pytest.mark.django_db
def test_filenames_turn_slashes_into_dashes(centre):
    course = builders.make_course(centre, code="DVM-03/2026")
    assert document_filename(course, "enrolment", "pdf") == "DVM-03-2026_danh-sach-hoc-vien.pdf"
    assert document_filename(course, "attendance", "xlsx") == "DVM-03-2026_bang-diem-danh.xlsx"


@pytest.mark.django_db
def test_results_wait_for_computed_results_and_notices_are_pdf_only(centre):
    course = builders.make_course(centre)
    with pytest.raises(DocumentRefused, match="chưa tính kết quả học tập"):
        build_course_document(course, "results", "pdf")
    with pytest.raises(ValueError):
        build_course_document(course, "enrolment", "docx")
    with pytest.raises(ValueError):
        build_course_document(course, "notices", "xlsx")


@pytest.mark.django_db
def test_course_lines_give_name_code_dates_and_venue(centre):
    course = builders.make_course(
        centre,
        code="DVM-03/2026",
        name="Lớp khóa 3",
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 6),
        venue="Hội trường A",
    )
    assert course_lines(course) == [
        "Lớp khóa 3",
        "Mã lớp: DVM-03/2026. Từ ngày 02/03/2026 đến ngày 06/03/2026",
        "Địa điểm: Hội trường A",
    ]
    course.venue = ""
    assert len(course_lines(course)) == 2


@pytest.mark.django_db
def test_the_director_signs_else_the_acting_director_else_blank(centre):
    assert (centre_signer(centre).title, centre_signer(centre).name) == ("GIÁM ĐỐC", "")
    Leader.objects.create(centre=centre, full_name="Lê Văn Phó", role=LeaderRole.DEPUTY)
    assert centre_signer(centre).name == ""
    Leader.objects.create(
        centre=centre, full_name="Trần Thị Quyền", role=LeaderRole.ACTING_DIRECTOR
    )
    assert (centre_signer(centre).title, centre_signer(centre).name) == (
        "Q. GIÁM ĐỐC",
        "Trần Thị Quyền",
    )
    Leader.objects.create(
        centre=centre, full_name="Cũ Văn Nghỉ", role=LeaderRole.DIRECTOR, active=False
    )
    Leader.objects.create(centre=centre, full_name="Nguyễn Văn Đốc", role=LeaderRole.DIRECTOR)
    assert (centre_signer(centre).title, centre_signer(centre).name) == (
        "GIÁM ĐỐC",
        "Nguyễn Văn Đốc",
    )


def test_session_groups_are_even():
    sessions = list(range(14))
    assert [len(g) for g in session_groups(sessions, per_table=10)] == [7, 7]
    assert [len(g) for g in session_groups(list(range(10)), per_table=10)] == [10]
    assert [len(g) for g in session_groups(list(range(21)), per_table=10)] == [7, 7, 7]
    assert session_groups([], per_table=10) == [[]]


@pytest.mark.django_db
def test_the_builder_module_orders_sessions_by_date_then_part(centre):
    from lophoc.documents.attendance_sheet import collect

    course = builders.make_course(centre)
    day = course.start_date
    late = builders.make_session(course, date=day, part=SessionPart.AFTERNOON)
    early = builders.make_session(course, date=day, part=SessionPart.MORNING)
    evening = builders.make_session(course, date=day, part=SessionPart.EVENING)
    before = builders.make_session(
        course, date=day - datetime.timedelta(days=1), part=SessionPart.AFTERNOON
    )
    assert collect(course).sessions == [before, early, late, evening]
