"""The grade sheet from the class page: download → upload → preview → confirm, per role."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lophoc.grade_sheet import HEADER_ROW, grade_sheet_xlsx
from lophoc.models import Course, CourseStatus, Score
from lophoc.views.grade_sheet import SESSION_KEY
from tests import builders
from tests.lophoc.grade_sheet_helpers import (
    ESSAY,
    ESSAY_HEADER,
    MIDTERM,
    MIDTERM_HEADER,
    RETAKE_HEADER,
    cell_key,
    colleague_saves,
    edited,
    make_graded_course,
    stored_scores,
    to_bytes,
    workbook,
)
from trungtam.models import ExportLog, Role

pytestmark = pytest.mark.django_db
FIRST = HEADER_ROW + 1


@pytest.fixture
def course(centre):
    return make_graded_course(centre)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def url(name, course):
    return reverse(f"lophoc:{name}", args=[course.pk])


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def sheet(course) -> bytes:
    return grade_sheet_xlsx(Course.objects.get(pk=course.pk))


def upload(client, course, content, name="bang-diem.xlsx"):
    return client.post(
        url("grade_sheet_upload", course), {"file": SimpleUploadedFile(name, content)}
    )


def pending_sha(client):
    return builders.pending_upload_of(client, SESSION_KEY).sha256


def preview_and_confirm(client, course, content):
    assert upload(client, course, content).status_code == 302
    assert client.get(url("grade_sheet_preview", course)).status_code == 200
    return client.post(url("grade_sheet_confirm", course), {"sha256": pending_sha(client)})


def teaching(course, lecturer):
    builders.make_session(course, lecturer=lecturer.lecturer)
    return lecturer


# --- permissions ---------------------------------------------------------------------------

NAMES = [
    "grade_sheet_download",
    "grade_sheet_upload",
    "grade_sheet_preview",
    "grade_sheet_confirm",
    "grade_sheet_cancel",
]


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_is_sent_to_login(client, course, name):
    response = (
        client.post(url(name, course))
        if "confirm" in name or "cancel" in name
        else (client.get(url(name, course)))
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("who", "expected"), [("other_staff", 404), ("official", 403)])
def test_outsiders_get_404_and_readers_403(request, client, course, name, who, expected):
    client.force_login(request.getfixturevalue(who))
    method = client.post if "confirm" in name or "cancel" in name else client.get
    assert method(url(name, course)).status_code == expected
    assert not ExportLog.objects.exists()


def test_a_lecturer_sees_the_sheet_only_for_classes_they_teach(client, course, lecturer):
    client.force_login(lecturer)
    assert client.get(url("grade_sheet_download", course)).status_code == 404
    assert client.get(url("grade_sheet_upload", course)).status_code == 404
    teaching(course, lecturer)
    assert client.get(url("grade_sheet_download", course)).status_code == 200
    assert client.get(url("grade_sheet_upload", course)).status_code == 200


def test_confirm_and_cancel_are_post_only(staff_client, course):
    assert staff_client.get(url("grade_sheet_confirm", course)).status_code == 405
    assert staff_client.get(url("grade_sheet_cancel", course)).status_code == 405


# --- download --------------------------------------------------------------------------------


def test_staff_download_the_sheet_and_it_is_logged(staff_client, staff, course):
    response = staff_client.get(url("grade_sheet_download", course))
    assert response.status_code == 200
    assert 'filename="DVM-03-2026_bang-diem.xlsx"' in response["Content-Disposition"]
    book = workbook(content_of(response)).active
    assert book["B3"].value == "DVM-03/2026"
    assert not book.cell(row=FIRST, column=5).protection.locked
    log = ExportLog.objects.get()
    assert (log.user, log.rows, log.centre) == (staff, 7, course.centre)


def test_a_lecturer_gets_only_their_columns_unlocked(client, course, lecturer):
    teaching(course, lecturer)
    course.assessments.filter(name=ESSAY).update(grader=lecturer.lecturer)
    client.force_login(lecturer)
    book = workbook(content_of(client.get(url("grade_sheet_download", course)))).active
    assert book.cell(row=FIRST, column=5).protection.locked  # the midterm is not theirs
    assert not book.cell(row=FIRST, column=6).protection.locked


def test_a_closed_class_downloads_with_every_cell_locked(staff_client, course):
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.CLOSED)
    book = workbook(content_of(staff_client.get(url("grade_sheet_download", course)))).active
    assert book.cell(row=FIRST, column=5).protection.locked


# --- upload, preview, confirm ----------------------------------------------------------------


def test_upload_page_explains_the_steps(staff_client, course):
    response = staff_client.get(url("grade_sheet_upload", course))
    html = response.content.decode()
    assert "Nhập điểm từ bảng điểm Excel" in html
    assert url("grade_sheet_download", course) in html
    assert 'data-testid="writable"' not in html  # staff may write everything
    assert "Chỉ các ô bạn đã sửa trong bảng điểm mới được ghi" in html


def test_not_an_xlsx_is_refused_next_to_the_field(staff_client, course):
    response = upload(staff_client, course, b"STT,Ho va ten\n", "bang-diem.csv")
    assert response.status_code == 200
    assert "không phải bảng tính Excel (.xlsx)" in response.content.decode()
    assert SESSION_KEY not in staff_client.session


def test_the_preview_shows_every_change_with_clears_and_confirm_writes_them(
    staff_client, staff, course
):
    content = edited(
        sheet(course),
        {
            ("Trần Văn An", ESSAY_HEADER): 9,
            ("Bùi Thị Ánh", MIDTERM_HEADER): None,
            ("Bùi Thị Ánh", RETAKE_HEADER): "5,5",
        },
    )
    response = upload(staff_client, course, content)
    assert response.url == url("grade_sheet_preview", course)
    html = staff_client.get(response.url).content.decode()
    assert 'data-total="changes">3<' in html and 'data-total="clears">1<' in html
    assert "Trần Văn An" in html and "8,5" in html and "9,25" in html
    assert "(trống)" in html and "xóa điểm" in html
    assert "Thi lại – Bài thu hoạch" in html
    assert 'data-testid="confirm"' in html
    assert stored_scores(course)[("Trần Văn An", ESSAY)][0] == Decimal("8.5")  # not yet

    response = staff_client.post(
        url("grade_sheet_confirm", course), {"sha256": pending_sha(staff_client)}
    )
    assert response.status_code == 302
    assert response.url == reverse("lophoc:grade_grid", args=[course.pk])
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)] == (Decimal("9"), None, 1)
    assert scores[("Bùi Thị Ánh", MIDTERM)] == (None, None, 1)
    assert scores[("Bùi Thị Ánh", ESSAY)] == (Decimal("4"), Decimal("5.5"), 1)
    assert SESSION_KEY not in staff_client.session
    message = [str(m) for m in response.wsgi_request._messages]
    assert message == ["Đã ghi 3 ô điểm thay đổi vào lớp DVM-03/2026, trong đó 1 ô xóa điểm."]
    score = Score.objects.get(enrolment__trainee__full_name="Trần Văn An", assessment__name=ESSAY)
    assert score.history.first().history_user == staff


def test_an_unchanged_sheet_has_nothing_to_confirm(staff_client, course):
    upload(staff_client, course, sheet(course))
    html = staff_client.get(url("grade_sheet_preview", course)).content.decode()
    assert 'data-testid="no-changes"' in html
    assert 'data-testid="confirm"' not in html


def test_invalid_cells_are_listed_and_nothing_can_be_confirmed(staff_client, course):
    content = edited(
        sheet(course),
        {
            ("Trần Văn An", ESSAY_HEADER): 11,
            ("Bùi Thị Ánh", ESSAY_HEADER): "tám",
            ("Lê Thị Huyền Diệu", MIDTERM_HEADER): 7.333,
            ("Phạm Đức Đạt", MIDTERM_HEADER): -1,
            ("Đặng Văn Hữu", MIDTERM_HEADER): 6,
        },
    )
    before = stored_scores(course)
    upload(staff_client, course, content)
    html = staff_client.get(url("grade_sheet_preview", course)).content.decode()
    assert "4 ô điểm nhập sai" in html
    for value in ("11", "tám", "7.333", "-1"):
        assert f"«{value}»" in html
    assert 'data-testid="confirm"' not in html
    assert 'data-testid="changes"' in html  # the valid change is still shown
    response = staff_client.post(
        url("grade_sheet_confirm", course), {"sha256": pending_sha(staff_client)}
    )
    assert response.status_code == 200
    assert "Chưa ghi gì" in response.content.decode()
    assert stored_scores(course) == before


@pytest.mark.parametrize("what", ["other class", "added row", "removed row", "changed name"])
def test_sheets_changed_in_shape_are_refused_with_a_reason(staff_client, course, what):
    if what == "other class":
        content = sheet(make_graded_course(course.centre, code="DVM-09/2026"))
        expected = "của lớp «DVM-09/2026», không phải của lớp «DVM-03/2026»"
    else:
        book = workbook(sheet(course))
        ws = book.active
        if what == "added row":
            ws.cell(row=FIRST + 7, column=2).value = "Nguyễn Văn Mới"
            expected = "«Nguyễn Văn Mới» không có trong danh sách học viên đang học"
        elif what == "removed row":
            ws.delete_rows(FIRST + 2)
            expected = "Thiếu học viên «@Lê Văn Công»"
        else:
            ws.cell(row=FIRST, column=2).value = "Trần Văn Ẩn"
            expected = "họ tên «Trần Văn Ẩn» khác với học viên của lớp «Trần Văn An»"
        content = to_bytes(book)
    before = stored_scores(course)
    upload(staff_client, course, content)
    html = staff_client.get(url("grade_sheet_preview", course)).content.decode()
    assert expected in html
    assert "Hãy tải bảng điểm mới của lớp" in html
    assert 'data-testid="confirm"' not in html
    staff_client.post(url("grade_sheet_confirm", course), {"sha256": pending_sha(staff_client)})
    assert stored_scores(course) == before


def test_a_conflict_on_confirm_writes_nothing_and_shows_the_new_preview(
    staff_client, course, other_staff
):
    content = edited(
        sheet(course), {("Trần Văn An", ESSAY_HEADER): 9, ("Đặng Văn Hữu", ESSAY_HEADER): 7}
    )
    upload(staff_client, course, content)
    staff_client.get(url("grade_sheet_preview", course))
    Score.objects.filter(
        enrolment__trainee__full_name="Trần Văn An", assessment__name=ESSAY
    ).update(score=Decimal("6"), version=1)
    before = stored_scores(course)
    response = staff_client.post(
        url("grade_sheet_confirm", course), {"sha256": pending_sha(staff_client)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa ghi gì: 1 ô điểm đã bị người khác sửa" in html
    assert "điểm đang lưu nay là 6 (có người vừa sửa), bảng điểm ghi 9" in html
    assert stored_scores(course) == before
    # The new preview shows the cell as a conflict to choose; confirming without a choice
    # still writes nothing.
    assert 'data-testid="download-conflicts"' in html
    response = staff_client.post(
        url("grade_sheet_confirm", course), {"sha256": pending_sha(staff_client)}
    )
    assert response.status_code == 200
    assert "còn 1 ô điểm người khác đã sửa" in response.content.decode()
    assert stored_scores(course) == before
    # Having seen the new state, the user chooses to take the sheet's value.
    key = cell_key(course, "Trần Văn An", ESSAY)
    response = staff_client.post(
        url("grade_sheet_confirm", course),
        {"sha256": pending_sha(staff_client), f"chon-{key}": "sheet"},
    )
    assert response.status_code == 302
    assert stored_scores(course)[("Trần Văn An", ESSAY)] == (Decimal("9"), None, 2)


# --- a sheet downloaded before a colleague's change (issue 14) --------------------------------


@pytest.fixture
def colleague(course):
    return builders.make_user(role=Role.STAFF, centre=course.centre, username="canbo_cung_tt")


def downloaded(client, course) -> bytes:
    response = client.get(url("grade_sheet_download", course))
    assert response.status_code == 200
    return content_of(response)


def test_a_stale_sheet_keeps_the_colleagues_change(staff_client, course, colleague):
    """Download; a colleague changes a cell in the grid; upload the old sheet with another cell
    changed; confirm: only that cell is written, the colleague's value stays."""
    content = downloaded(staff_client, course)
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "6")
    content = edited(content, {("Bùi Thị Ánh", MIDTERM_HEADER): 8})
    upload(staff_client, course, content)
    html = staff_client.get(url("grade_sheet_preview", course)).content.decode()
    assert 'data-total="changes">1<' in html
    assert 'data-testid="download-conflicts"' not in html
    response = staff_client.post(
        url("grade_sheet_confirm", course), {"sha256": pending_sha(staff_client)}
    )
    assert response.status_code == 302
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)][0] == Decimal("6")
    assert scores[("Bùi Thị Ánh", MIDTERM)][0] == Decimal("8")


def _conflict_uploaded(client, course, colleague) -> str:
    content = downloaded(client, course)
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "6")
    content = edited(
        content, {("Trần Văn An", ESSAY_HEADER): 9, ("Bùi Thị Ánh", MIDTERM_HEADER): 8}
    )
    upload(client, course, content)
    return client.get(url("grade_sheet_preview", course)).content.decode()


def test_the_preview_shows_a_conflict_with_its_three_values(staff_client, course, colleague):
    html = _conflict_uploaded(staff_client, course, colleague)
    assert "1 ô điểm người khác đã sửa trên phần mềm sau khi bạn tải bảng điểm" in html
    key = cell_key(course, "Trần Văn An", ESSAY)
    row = html.split(f'data-conflict="{key}"')[1].split("</tbody>")[0]
    cells = [
        " ".join(re.sub(r"<[^>]*>", "", part.split("</td>")[0].split(">", 1)[1]).split())
        for part in row.split("<td")[1:7]
    ]
    assert cells == [str(FIRST), f"Trần Văn An (dòng {FIRST})", ESSAY, "8,5", "6", "9"]
    assert f'name="chon-{key}"' in row and 'form="xac-nhan"' in row
    assert "checked" not in row  # nothing chosen for the person
    assert 'data-total="changes">1<' in html  # the ordinary change, listed apart
    assert "Xác nhận ghi 1 ô điểm thay đổi và 1 ô điểm theo lựa chọn" in html


def test_confirm_without_a_choice_writes_nothing(staff_client, course, colleague):
    _conflict_uploaded(staff_client, course, colleague)
    before = stored_scores(course)
    response = staff_client.post(
        url("grade_sheet_confirm", course), {"sha256": pending_sha(staff_client)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa ghi gì: còn 1 ô điểm người khác đã sửa sau khi bạn tải bảng điểm" in html
    assert "Chưa chọn" in html and 'class="table-danger"' in html
    assert stored_scores(course) == before
    assert SESSION_KEY in staff_client.session  # still waiting for the choice


@pytest.mark.parametrize(("choice", "essay"), [("keep", "6"), ("sheet", "9")])
def test_confirm_with_a_choice_writes_it(staff_client, course, colleague, choice, essay):
    _conflict_uploaded(staff_client, course, colleague)
    response = staff_client.post(
        url("grade_sheet_confirm", course),
        {
            "sha256": pending_sha(staff_client),
            f"chon-{cell_key(course, 'Trần Văn An', ESSAY)}": choice,
        },
    )
    assert response.status_code == 302
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)][0] == Decimal(essay)
    assert scores[("Bùi Thị Ánh", MIDTERM)][0] == Decimal("8")
    [message] = [str(m) for m in response.wsgi_request._messages]
    if choice == "keep":
        assert message.endswith("; giữ nguyên 1 ô điểm người khác đã sửa sau khi tải bảng điểm.")
    else:
        assert message == "Đã ghi 2 ô điểm thay đổi vào lớp DVM-03/2026."


def test_one_choice_for_every_conflict(staff_client, course, colleague):
    _conflict_uploaded(staff_client, course, colleague)
    response = staff_client.post(
        url("grade_sheet_confirm", course),
        {"sha256": pending_sha(staff_client), "chon-tat-ca": "keep"},
    )
    assert response.status_code == 302
    assert stored_scores(course)[("Trần Văn An", ESSAY)][0] == Decimal("6")


def test_a_choice_made_is_kept_when_another_is_missing(staff_client, course, colleague):
    content = downloaded(staff_client, course)
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "6")
    colleague_saves(course, colleague, "Bùi Thị Ánh", MIDTERM, "5")
    content = edited(
        content, {("Trần Văn An", ESSAY_HEADER): 9, ("Bùi Thị Ánh", MIDTERM_HEADER): 8}
    )
    upload(staff_client, course, content)
    staff_client.get(url("grade_sheet_preview", course))
    an = cell_key(course, "Trần Văn An", ESSAY)
    response = staff_client.post(
        url("grade_sheet_confirm", course),
        {"sha256": pending_sha(staff_client), f"chon-{an}": "sheet"},
    )
    html = response.content.decode()
    assert "còn 1 ô điểm" in html
    row = html.split(f'data-conflict="{an}"')[1].split("</tbody>")[0]
    assert 'value="sheet" checked' in row


def test_an_old_sheet_is_refused_asking_for_a_fresh_one(staff_client, course):
    book = workbook(sheet(course))
    ws = book.active
    ws.delete_cols(9, 3)  # the hidden copies a sheet from before this release does not have
    upload(staff_client, course, to_bytes(book))
    html = staff_client.get(url("grade_sheet_preview", course)).content.decode()
    assert "không có các cột ẩn «Điểm lúc tải về»" in html
    assert url("grade_sheet_download", course) in html
    assert 'data-testid="confirm"' not in html


def test_confirm_without_the_preview_or_with_another_file_goes_back(staff_client, course):
    content = edited(sheet(course), {("Trần Văn An", ESSAY_HEADER): 9})
    upload(staff_client, course, content)
    response = staff_client.post(
        url("grade_sheet_confirm", course), {"sha256": pending_sha(staff_client)}
    )
    assert response.url == url("grade_sheet_preview", course)
    staff_client.get(url("grade_sheet_preview", course))
    response = staff_client.post(url("grade_sheet_confirm", course), {"sha256": "khac"})
    assert response.url == url("grade_sheet_preview", course)
    assert stored_scores(course)[("Trần Văn An", ESSAY)][0] == Decimal("8.5")


def test_nothing_pending_sends_back_to_the_upload(staff_client, course):
    response = staff_client.get(url("grade_sheet_preview", course))
    assert response.url == url("grade_sheet_upload", course)
    response = staff_client.post(url("grade_sheet_confirm", course), {"sha256": "x"})
    assert response.url == url("grade_sheet_upload", course)


def test_cancel_forgets_the_file(staff_client, course):
    upload(staff_client, course, sheet(course))
    response = staff_client.post(url("grade_sheet_cancel", course))
    assert response.url.endswith("#diem")
    assert SESSION_KEY not in staff_client.session


def test_a_closed_class_refuses_uploads(staff_client, course):
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.CLOSED)
    response = staff_client.get(url("grade_sheet_upload", course))
    assert 'data-testid="refusal"' in response.content.decode()
    upload(staff_client, course, sheet(course))
    assert SESSION_KEY not in staff_client.session


# --- lecturers -------------------------------------------------------------------------------


@pytest.fixture
def lecturer_client(client, course, lecturer):
    teaching(course, lecturer)
    course.assessments.filter(name=ESSAY).update(grader=lecturer.lecturer)
    course.assessments.filter(name=MIDTERM).update(
        grader=builders.make_lecturer(course.centre, full_name="Võ Minh Tâm")
    )
    client.force_login(lecturer)
    return client


def test_a_lecturer_is_told_which_columns_are_theirs(lecturer_client, course):
    html = lecturer_client.get(url("grade_sheet_upload", course)).content.decode()
    assert "Bạn chỉ được sửa điểm các bài: «Bài thu hoạch»" in html


def test_a_lecturer_uploads_their_column(lecturer_client, course, lecturer):
    content = edited(sheet(course), {("Trần Văn An", ESSAY_HEADER): 9.5})
    response = preview_and_confirm(lecturer_client, course, content)
    assert response.status_code == 302
    score = Score.objects.get(enrolment__trainee__full_name="Trần Văn An", assessment__name=ESSAY)
    assert (score.score, score.updated_by) == (Decimal("9.5"), lecturer)


def test_a_lecturer_changing_another_column_is_refused(lecturer_client, course):
    content = edited(
        sheet(course), {("Trần Văn An", ESSAY_HEADER): 9.5, ("Trần Văn An", MIDTERM_HEADER): 2}
    )
    before = stored_scores(course)
    upload(lecturer_client, course, content)
    html = lecturer_client.get(url("grade_sheet_preview", course)).content.decode()
    assert "Bạn không được sửa điểm bài «Bài kiểm tra giữa khóa»" in html
    assert 'data-testid="confirm"' not in html
    lecturer_client.post(
        url("grade_sheet_confirm", course), {"sha256": pending_sha(lecturer_client)}
    )
    assert stored_scores(course) == before


def test_the_class_page_offers_the_sheet_to_lecturers_and_all_documents_to_staff(course):
    lecturer_html = render_to_string(
        "lophoc/includes/course_documents.html",
        {"course": course, "nav": {"manage": False, "lecturer": True}},
    )
    assert url("grade_sheet_download", course) in lecturer_html
    assert url("grade_sheet_upload", course) in lecturer_html
    assert "tai-lieu" not in lecturer_html
    staff_html = render_to_string(
        "lophoc/includes/course_documents.html", {"course": course, "nav": {"manage": True}}
    )
    for document, fmt in [
        ("grades", "pdf"),
        ("grades", "xlsx"),
        ("results", "pdf"),
        ("results", "xlsx"),
        ("notices", "pdf"),
    ]:
        assert reverse("lophoc:course_document", args=[course.pk, document, fmt]) in staff_html
    assert url("grade_sheet_upload", course) in staff_html


def test_a_class_without_assessments_says_what_to_do_first(staff_client, centre):
    course = builders.make_course(centre, status=CourseStatus.GRADING)
    html = staff_client.get(url("grade_sheet_upload", course)).content.decode()
    assert "Lớp chưa có bài kiểm tra nào; hãy thêm bài kiểm tra trước khi nhập điểm." in html


def test_the_preview_runs_the_same_queries_at_n_and_3n(staff_client, centre):
    counts = []
    for size, code in ((5, "A-1"), (15, "A-2")):
        people = [(f"Học Viên Số {n}", "M", False) for n in range(size)]
        course = make_graded_course(centre, people=people, code=code)
        edits = {(f"Học Viên Số {n}", ESSAY_HEADER): 5 + n % 5 for n in range(size)}
        upload(staff_client, course, edited(sheet(course), edits))
        with CaptureQueriesContext(connection) as context:
            response = staff_client.get(url("grade_sheet_preview", course))
        assert response.status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
