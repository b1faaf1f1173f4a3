"""A person's rights over their record (DESIGN §8b): everything exported on request, corrections
kept with who and why, deletion refused while certificates or closed classes need the record and
otherwise complete — history included — and every such operation in the admins' log."""

import datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hocvien.models import Trainee
from hocvien.personal_data import trainee_deletion_plan
from hocvien.trainees import trainee_merge
from lophoc.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateStatus,
    CourseStatus,
    Enrolment,
    Score,
)
from tests import builders
from tests.lophoc.certificate_helpers import make_certificate
from trungtam.models import ExportLog


@pytest.fixture
def trainee(centre):
    return builders.make_trainee(
        centre,
        full_name="Nguyễn Văn An",
        national_id="001203004567",
        unit=builders.make_unit(centre, name="Phường Phú Lợi"),
        ethnicity="Tày",
        religion="Phật giáo",
        is_party_member=True,
        party_joined_on=datetime.date(2015, 2, 3),
        phone="0912 345 678",
        email="an.nguyen@example.vn",
    )


def enrol(trainee, *, status=CourseStatus.GRADING, score="7.5", **course_values):
    """The trainee in a class with one session attended (absent, excused) and one score."""
    course = builders.make_course(trainee.centre, status=status, **course_values)
    session = builders.make_session(course)
    enrolment = builders.make_enrolment(
        course,
        trainee,
        unit=trainee.unit,
        position="Bí thư chi đoàn",
        scheduled_periods=4,
        absent_periods=4,
        excused_periods=4,
    )
    Attendance.objects.create(
        session=session, enrolment=enrolment, status=AttendanceStatus.EXCUSED, note="Ốm"
    )
    builders.make_score(enrolment, builders.make_assessment(course, name="Bài thu hoạch"), score)
    return enrolment


def url(name, trainee):
    return reverse(f"hocvien:{name}", args=[trainee.pk])


def edit_data(**changes):
    data = {
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "17/05/1990",
        "gender": "M",
        "national_id": "001203004567",
        "ethnicity": "Tày",
        "religion": "Phật giáo",
        "is_party_member": "on",
        "party_joined_on": "03/02/2015",
        "phone": "0912 345 678",
        "email": "an.nguyen@example.vn",
    }
    data.update(changes)
    return data


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def flat(rows) -> list[str]:
    return [str(value) for row in rows for value in row if value is not None]


# --- export -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, trainee):
    for name in ("trainee_export", "trainee_delete"):
        response = client.get(url(name, trainee))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "admin_user", "superuser"])
def test_everything_about_the_person_in_one_logged_file(client, request, trainee, role):
    user = request.getfixturevalue(role)
    enrolment = enrol(trainee, code="KND-07/2026", name="Lớp nhận thức về Đảng khóa 7")
    enrolment.final_score = Decimal("7.5")
    enrolment.classification = "fair"
    enrolment.passed = True
    enrolment.save()
    make_certificate(enrolment, 1, number="21-GCN/TTCT")
    client.force_login(user)
    response = client.get(url("trainee_export", trainee))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="hoc-vien-{trainee.pk}_du-lieu-ca-nhan.xlsx"'
    )
    assert response["Cache-Control"] == "no-store"
    book = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == [
        "Hồ sơ cá nhân",
        "Quá trình bồi dưỡng",
        "Điểm",
        "Điểm danh",
        "Giấy chứng nhận",
        "Lịch sử thay đổi",
    ]
    record = {row[0]: row[1] for row in sheet_rows(book["Hồ sơ cá nhân"])[3:]}
    assert record["Họ và tên"] == "Nguyễn Văn An"
    assert record["Số CCCD"] == "001203004567"
    assert record["Ngày sinh"] == "17/05/1990"
    assert record["Dân tộc"] == "Tày" and record["Tôn giáo"] == "Phật giáo"
    assert record["Đảng viên"] == "Có" and record["Ngày vào Đảng"] == "03/02/2015"
    assert record["Điện thoại"] == "0912 345 678"
    assert record["Thư điện tử"] == "an.nguyen@example.vn"
    assert record["Đơn vị công tác"] == "Phường Phú Lợi"
    classes = sheet_rows(book["Quá trình bồi dưỡng"])
    assert classes[2][1:4] == [
        "KND-07/2026",
        "Lớp nhận thức về Đảng khóa 7",
        enrolment.course.program.name,
    ]
    assert classes[2][4] == datetime.datetime(2026, 3, 2)
    assert classes[2][8:] == [
        "Bí thư chi đoàn",
        None,  # nothing to report beyond the class's status
        None,
        4,
        4,
        4,
        7.5,
        "Khá",
        "Hoàn thành",
    ]
    assert sheet_rows(book["Điểm"])[2][1:] == ["KND-07/2026", "Bài thu hoạch", 1, 7.5, None]
    attendance = sheet_rows(book["Điểm danh"])[2]
    assert attendance[1:] == [
        "KND-07/2026",
        datetime.datetime(2026, 3, 2),
        "Sáng",
        4,
        "Vắng có phép",
        None,
        "Ốm",
    ]
    assert "21-GCN/TTCT" in flat(sheet_rows(book["Giấy chứng nhận"]))
    assert "Tạo hồ sơ" in flat(sheet_rows(book["Lịch sử thay đổi"]))
    log = ExportLog.objects.get()
    assert log.user == user and log.centre == trainee.centre and log.rows == 1
    assert log.filename == f"hoc-vien-{trainee.pk}_du-lieu-ca-nhan.xlsx"
    assert f"mã {trainee.pk}" in log.description
    # The log names the record by id only: nothing personal stays behind after a deletion.
    assert "Nguyễn" not in log.description and "Nguyễn" not in log.filename


@pytest.mark.django_db
def test_attendance_reads_in_the_order_of_the_day(client, staff, trainee):
    enrolment = enrol(trainee)
    course = enrolment.course
    afternoon = builders.make_session(course, date=course.start_date, part="afternoon")
    evening = builders.make_session(course, date=course.start_date, part="evening")
    for session in (evening, afternoon):
        Attendance.objects.create(session=session, enrolment=enrolment)
    client.force_login(staff)
    response = client.get(url("trainee_export", trainee))
    book = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert [row[3] for row in sheet_rows(book["Điểm danh"])[2:]] == ["Sáng", "Chiều", "Tối"]


@pytest.mark.django_db
def test_the_export_of_a_person_without_classes_says_so(client, staff, trainee):
    client.force_login(staff)
    response = client.get(url("trainee_export", trainee))
    book = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert "Chưa học lớp nào." in flat(sheet_rows(book["Quá trình bồi dưỡng"]))
    assert "Chưa được cấp giấy chứng nhận nào." in flat(sheet_rows(book["Giấy chứng nhận"]))


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_stays_text(client, staff, trainee):
    trainee.notes = '=HYPERLINK("http://x")'
    trainee.save()
    client.force_login(staff)
    response = client.get(url("trainee_export", trainee))
    book = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    cell = next(row[1] for row in book["Hồ sơ cá nhân"].iter_rows() if row[0].value == "Ghi chú")
    assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.django_db
def test_the_export_costs_the_same_queries_for_one_class_or_three(client, staff, trainee):
    client.force_login(staff)
    enrol(trainee)
    with CaptureQueriesContext(connection) as small:
        client.get(url("trainee_export", trainee))
    enrol(trainee)
    enrol(trainee)
    with CaptureQueriesContext(connection) as large:
        client.get(url("trainee_export", trainee))
    assert len(large) == len(small)


# --- correction ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_correction_keeps_who_why_and_the_old_value(client, staff, trainee):
    client.force_login(staff)
    response = client.post(
        url("trainee_edit", trainee),
        edit_data(
            date_of_birth="18/05/1990",
            change_reason="Theo đề nghị của học viên, ngày sinh nhập sai",
        ),
    )
    assert response.status_code == 302
    record = trainee.history.first()
    assert record.history_user == staff
    assert record.history_change_reason == "Theo đề nghị của học viên, ngày sinh nhập sai"
    assert record.prev_record.date_of_birth == datetime.date(1990, 5, 17)
    page = client.get(url("trainee_detail", trainee)).text
    assert "Lịch sử điều chỉnh hồ sơ" in page
    assert "Theo đề nghị của học viên, ngày sinh nhập sai" in page
    assert "Ngày sinh: 17/05/1990 → 18/05/1990" in page


@pytest.mark.django_db
def test_the_reason_field_is_only_on_corrections(client, staff, trainee):
    client.force_login(staff)
    assert "Lý do điều chỉnh" in client.get(url("trainee_edit", trainee)).text
    assert "Lý do điều chỉnh" not in client.get(reverse("hocvien:trainee_create")).text


@pytest.mark.django_db
def test_a_too_long_reason_is_refused_next_to_the_field(client, staff, trainee):
    client.force_login(staff)
    response = client.post(url("trainee_edit", trainee), edit_data(change_reason="x" * 101))
    assert response.status_code == 200
    assert "change_reason" in response.context["form"].errors
    assert trainee.history.count() == 1


@pytest.mark.django_db
def test_the_page_shows_a_bounded_history(client, staff, trainee):
    client.force_login(staff)
    for n in range(12):
        trainee.position = f"Chức vụ {n}"
        trainee.save()
    response = client.get(url("trainee_detail", trainee))
    assert len(response.context["changes"]) == 10
    assert reverse("admin:hocvien_trainee_history", args=[trainee.pk]) in response.text


# --- deletion -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status",
    [("lecturer", 403), ("official", 403), ("province_official", 403), ("other_staff", 404)],
)
def test_only_staff_of_the_centre_may_delete(client, request, trainee, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.post(url("trainee_delete", trainee)).status_code == status
    assert Trainee.objects.filter(pk=trainee.pk).exists()


@pytest.mark.django_db
def test_the_confirmation_page_says_what_goes(client, staff, trainee):
    enrol(trainee)
    client.force_login(staff)
    response = client.get(url("trainee_delete", trainee))
    plan = response.context["plan"]
    assert plan.allowed
    assert (plan.enrolments, plan.attendance, plan.scores) == (1, 1, 1)
    # The trainee's creation, the enrolment's, the attendance's and the score's.
    assert plan.history_rows == 4
    assert "không hoàn tác được" in response.text
    assert "Xóa hẳn hồ sơ" in response.text
    assert Trainee.objects.filter(pk=trainee.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(CertificateStatus))
def test_any_certificate_refuses_the_deletion(client, staff, trainee, status):
    enrolment = enrol(trainee)
    extra = {"void_reason": "In sai"} if status != CertificateStatus.VALID else {}
    make_certificate(enrolment, 1, number="5-GCN/TTCT", status=status, **extra)
    client.force_login(staff)
    page = client.get(url("trainee_delete", trainee))
    assert "5-GCN/TTCT" in page.text and "tra cứu được" in page.text
    assert "Xóa hẳn hồ sơ" not in page.text
    response = client.post(url("trainee_delete", trainee))
    assert response.status_code == 302
    assert Trainee.objects.filter(pk=trainee.pk).exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("5-GCN/TTCT" in m for m in messages)
    assert not ExportLog.objects.exists()


@pytest.mark.django_db
def test_a_closed_class_refuses_the_deletion_and_is_named(client, staff, trainee):
    enrol(
        trainee,
        status=CourseStatus.CLOSED,
        code="KND-01/2025",
        name="Lớp nhận thức khóa 1",
        score="3.0",
    )
    enrol(trainee)
    plan = trainee_deletion_plan(trainee)
    assert not plan.allowed
    assert "KND-01/2025 – Lớp nhận thức khóa 1" in plan.refusals[0]
    client.force_login(staff)
    client.post(url("trainee_delete", trainee))
    assert Enrolment.objects.filter(trainee=trainee).count() == 2


@pytest.mark.django_db
def test_deletion_removes_the_person_their_classes_and_all_history(client, staff, trainee):
    first = enrol(trainee)
    second = enrol(trainee, status=CourseStatus.IN_PROGRESS)
    duplicate = builders.make_trainee(trainee.centre, full_name="Nguyen Van An")
    trainee_merge(keep=trainee, remove=duplicate, user=staff)
    other = builders.make_trainee(trainee.centre, full_name="Lê Thị Bình")
    others_enrolment = builders.make_enrolment(first.course, other)
    enrolment_ids = [first.pk, second.pk]
    history = {
        "trainee": Trainee.history.model.objects,
        "enrolment": Enrolment.history.model.objects,
        "attendance": Attendance.history.model.objects,
        "score": Score.history.model.objects,
    }
    assert history["trainee"].filter(id=duplicate.pk).exists()
    client.force_login(staff)
    response = client.post(url("trainee_delete", trainee))
    assert response.status_code == 302 and response["Location"] == reverse("hocvien:trainee_list")
    assert not Trainee.objects.filter(pk=trainee.pk).exists()
    assert not Enrolment.objects.filter(pk__in=enrolment_ids).exists()
    assert not Attendance.objects.filter(enrolment_id__in=enrolment_ids).exists()
    assert not Score.objects.filter(enrolment_id__in=enrolment_ids).exists()
    assert not history["trainee"].filter(id__in=[trainee.pk, duplicate.pk]).exists()
    assert not history["trainee"].filter(full_name__contains="An").exists()
    assert not history["enrolment"].filter(id__in=enrolment_ids).exists()
    assert not history["attendance"].filter(enrolment_id__in=enrolment_ids).exists()
    assert not history["score"].filter(enrolment_id__in=enrolment_ids).exists()
    # Another person of the same class keeps everything.
    assert Trainee.objects.filter(pk=other.pk).exists()
    assert history["enrolment"].filter(id=others_enrolment.pk).exists()
    assert first.course.sessions.exists()
    log = ExportLog.objects.get()
    assert log.user == staff and log.centre == trainee.centre
    assert log.description.startswith(f"Xóa hồ sơ học viên mã {trainee.pk}: 2 lượt ghi danh")
    assert "Nguyễn" not in log.description
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Đã xóa hồ sơ học viên Nguyễn Văn An" in m for m in messages)


@pytest.mark.django_db
def test_a_person_without_classes_is_deleted_with_their_history(client, admin_user, trainee):
    trainee.phone = "0987 654 321"
    trainee.save()
    client.force_login(admin_user)
    client.post(url("trainee_delete", trainee))
    assert not Trainee.objects.filter(pk=trainee.pk).exists()
    assert not Trainee.history.model.objects.filter(id=trainee.pk).exists()


@pytest.mark.django_db
def test_an_enrolment_moved_to_someone_else_keeps_its_history(staff, trainee):
    enrolment = enrol(trainee)
    other = builders.make_trainee(trainee.centre, full_name="Lê Thị Bình")
    enrolment.trainee = other
    enrolment.save()
    from hocvien.personal_data import trainee_delete

    trainee_delete(trainee=trainee, user=staff)
    rows = Enrolment.history.model.objects.filter(id=enrolment.pk)
    # Only the rows that named the deleted person go.
    assert list(rows.values_list("trainee_id", flat=True)) == [other.pk]
    assert Attendance.history.model.objects.filter(enrolment_id=enrolment.pk).exists()


# --- the export log -----------------------------------------------------------------------------


def log_url(*parts):
    return reverse(
        "admin:trungtam_exportlog_" + (parts[0] if parts else "changelist"), args=parts[1:]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin_user", "superuser"])
def test_admins_read_the_export_log_and_cannot_change_it(client, request, centre, role):
    log = ExportLog.objects.create(
        centre=centre, username="canbo", description="Danh sách học viên", filename="ds.xlsx"
    )
    client.force_login(request.getfixturevalue(role))
    page = client.get(log_url())
    assert page.status_code == 200 and "ds.xlsx" in page.text
    assert client.get(log_url("add")).status_code == 403
    assert client.post(log_url("change", log.pk), {"filename": "khac.xlsx"}).status_code == 403
    assert client.post(log_url("delete", log.pk), {"post": "yes"}).status_code == 403
    log.refresh_from_db()
    assert log.filename == "ds.xlsx"


@pytest.mark.django_db
def test_staff_do_not_read_the_export_log(client, staff, centre):
    ExportLog.objects.create(centre=centre, username="canbo", description="x", filename="x.xlsx")
    client.force_login(staff)
    assert client.get(log_url()).status_code == 403


@pytest.mark.django_db
def test_the_log_of_another_centre_does_not_exist_for_its_admin(client, admin_user, other_centre):
    log = ExportLog.objects.create(
        centre=other_centre, username="khac", description="x", filename="x.xlsx"
    )
    client.force_login(admin_user)
    assert "x.xlsx" not in client.get(log_url()).text
    assert client.get(log_url("change", log.pk)).status_code == 302  # admin: "does not exist"


@pytest.mark.django_db
def test_the_log_filters_by_user_and_date(client, admin_user, staff, centre, trainee):
    client.force_login(staff)
    client.get(url("trainee_export", trainee))
    ExportLog.objects.create(centre=centre, username="khac", description="y", filename="y.xlsx")
    client.force_login(admin_user)
    page = client.get(log_url(), {"user__id__exact": staff.pk})
    assert page.status_code == 200
    assert f"hoc-vien-{trainee.pk}_du-lieu-ca-nhan.xlsx" in page.text
    assert "y.xlsx" not in page.text
    assert (
        client.get(log_url(), {"created_at__gte": "2000-01-01 00:00:00+07:00"}).status_code == 200
    )


@pytest.mark.django_db
def test_a_certificate_issued_after_the_check_still_stops_the_deletion(monkeypatch, staff, trainee):
    """Between the check and the delete a certificate may appear: it is never deleted."""
    from hocvien import personal_data

    enrolment = enrol(trainee)
    make_certificate(enrolment, 1, number="9-GCN/TTCT")
    monkeypatch.setattr(
        personal_data, "trainee_deletion_plan", lambda t: personal_data.DeletionPlan(trainee=t)
    )
    with pytest.raises(ValidationError) as refused:
        personal_data.trainee_delete(trainee=trainee, user=staff)
    assert "giấy chứng nhận" in refused.value.messages[0]
    assert Certificate.objects.filter(number="9-GCN/TTCT").exists()
    assert Trainee.objects.filter(pk=trainee.pk).exists()
    assert Score.objects.filter(enrolment=enrolment).exists()
