"""Quá trình bồi dưỡng (lophoc/documents/trainee_history.py and its view): one person's classes
across the years as a PDF, read back; who may download it; the log; the link on the page."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hocvien.models import Gender
from lophoc.certificates import certificate_void, certificates_issue
from lophoc.documents.trainee_history import trainee_history_document, trainee_history_pdf
from lophoc.models import Classification, CourseStatus, EnrolmentStatus
from tests import builders
from tests.lophoc.certificate_helpers import ISSUED_ON, make_leader
from tests.pdf_reading import pdf_pages
from trungtam.models import DocumentLayout, ExportLog

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 28)


def flat(content: bytes) -> str:
    return " ".join(" ".join(pdf_pages(content)).split())


@pytest.fixture
def person(centre, staff):
    """A trainee with four classes over two years: certified, re-certified after a void,
    withdrawn, and one still being taught."""
    unit = builders.make_unit(centre, name="Ủy ban nhân dân phường Phú Lợi")
    trainee = builders.make_trainee(
        centre,
        unit=unit,
        full_name="Phan Minh Trí",
        date_of_birth=datetime.date(1968, 4, 20),
        gender=Gender.MALE,
        national_id="001068012585",
        position="Công chức",
        ethnicity="Tày",
        religion="Phật giáo",
        is_party_member=True,
    )
    leader = make_leader(centre, full_name="Trần Quốc Hưng")
    first = builders.make_course(
        centre,
        code="KND-01/2025",
        name="Lớp bồi dưỡng nhận thức về Đảng khóa 1 năm 2025",
        start_date=datetime.date(2025, 3, 10),
        end_date=datetime.date(2025, 3, 14),
        venue="Hội trường UBND phường Phú Lợi",
        status=CourseStatus.CLOSED,
    )
    builders.make_enrolment(
        first,
        trainee=trainee,
        unit=unit,
        scheduled_periods=40,
        absent_periods=4,
        excused_periods=4,
        final_score=Decimal("8.5"),
        classification=Classification.GOOD,
        is_eligible=True,
        passed=True,
    )
    second = builders.make_course(
        centre,
        code="DVM-02/2026",
        name="Lớp bồi dưỡng lý luận chính trị dành cho đảng viên mới khóa 2 năm 2026",
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 7),
        status=CourseStatus.CLOSED,
    )
    builders.make_enrolment(
        second,
        trainee=trainee,
        unit=unit,
        scheduled_periods=48,
        final_score=Decimal("7.0"),
        classification=Classification.FAIR,
        is_eligible=True,
        passed=True,
    )
    third = builders.make_course(
        centre, code="CNKT-01/2026", start_date=datetime.date(2026, 5, 4), status="in_progress"
    )
    builders.make_enrolment(
        third,
        trainee=trainee,
        status=EnrolmentStatus.WITHDRAWN,
        status_reason="Đi công tác dài ngày",
    )
    fourth = builders.make_course(
        centre, code="QPAN-04/2026", start_date=datetime.date(2026, 11, 2), status="in_progress"
    )
    builders.make_enrolment(fourth, trainee=trainee, scheduled_periods=16)
    (one,) = certificates_issue(course=first, user=staff, signer=leader, issued_on=ISSUED_ON)
    (two,) = certificates_issue(course=second, user=staff, signer=leader, issued_on=ISSUED_ON)
    certificate_void(certificate=two, user=staff, reason="In sai ngày sinh")
    trainee.certificates = (one, two)
    return trainee


def test_it_prints_the_identity_without_sensitive_fields(person):
    text = flat(trainee_history_pdf(person, day=DAY))
    assert "QUÁ TRÌNH BỒI DƯỠNG" in text
    assert "Phan Minh Trí" in text and "20/04/1968" in text
    assert "Ủy ban nhân dân phường Phú Lợi" in text and "Công chức" in text
    assert "•••••••••585" in text and "001068012585" not in text
    for hidden in ("Tày", "Phật giáo", "Dân tộc", "Tôn giáo", "Đảng viên"):
        assert hidden not in text


def test_it_has_a_row_per_class_in_the_order_they_were_held(person):
    text = flat(trainee_history_pdf(person, day=DAY))
    first = text.find("nhận thức về Đảng khóa 1 năm 2025")
    second = text.find("đảng viên mới khóa 2 năm 2026")
    assert -1 < first < second
    assert "10/03/2025 – 14/03/2025" in text
    assert "Hội trường UBND phường Phú Lợi" in text  # the venue
    assert "Học 36/40 tiết vắng 4 (có phép 4)" in text and "Học 48/48 tiết" in text
    assert "Hoàn thành – Giỏi (8,5)" in text and "Hoàn thành – Khá (7,0)" in text
    assert "Thôi học (Đi công tác dài ngày)" in text
    assert "Chưa có kết quả (lớp đang học)" in text
    assert "Tổng cộng: 4 lớp, hoàn thành 2 lớp; 1 giấy chứng nhận còn hiệu lực." in text


def test_certificate_numbers_and_their_status_are_printed_whole(person):
    pages = pdf_pages(trainee_history_pdf(person, day=DAY))
    whole = "\n".join(pages)
    one, two = person.certificates
    assert one.number in whole and two.number in whole  # never cut over two lines
    assert f"ngày {ISSUED_ON:%d/%m/%Y}" in whole
    assert "(Đã thu hồi: In sai ngày sinh)" in " ".join(whole.split())


def test_the_signature_block_and_the_layouts(person, centre):
    text = flat(trainee_history_pdf(person, maker_name="Nguyễn Thị Lập", day=DAY))
    assert "NGƯỜI LẬP BIỂU" in text and "Nguyễn Thị Lập" in text
    assert "GIÁM ĐỐC" in text and "Trần Quốc Hưng" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "ngày 28 tháng 12 năm 2026" in text
    centre.document_layout = DocumentLayout.STATE
    centre.save()
    person.centre.refresh_from_db()
    text = flat(trainee_history_pdf(person, day=DAY))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_a_person_without_classes_gets_a_history_that_says_so(centre):
    trainee = builders.make_trainee(centre)
    text = flat(trainee_history_pdf(trainee, day=DAY))
    assert "Chưa học lớp nào tại trung tâm." in text


def test_the_file_is_named_by_the_records_id(person):
    document = trainee_history_document(person, day=DAY)
    assert document.filename == f"hoc-vien-{person.pk}_qua-trinh-boi-duong.pdf"
    assert person.full_name not in document.description and document.rows == 4


# --- the view ---


def url(trainee) -> str:
    return reverse("lophoc:trainee_history_pdf", args=[trainee.pk])


def test_staff_download_it_and_it_is_logged(client, staff, person):
    client.force_login(staff)
    response = client.get(url(person))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert url(person) == f"/lop/hoc-vien/{person.pk}/qua-trinh-boi-duong.pdf"
    text = flat(b"".join(response.streaming_content))
    assert "Phan Minh Trí" in text and staff.full_name in text
    log = ExportLog.objects.get()
    assert log.user == staff and log.centre == person.centre and log.rows == 4
    assert log.filename == f"hoc-vien-{person.pk}_qua-trinh-boi-duong.pdf"


@pytest.mark.parametrize("role", ["official", "lecturer"])
def test_officials_and_lecturers_get_403(client, request, role, person):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(person)).status_code == 403
    assert not ExportLog.objects.exists()


def test_another_centres_staff_get_404(client, other_staff, person):
    client.force_login(other_staff)
    assert client.get(url(person)).status_code == 404
    assert not ExportLog.objects.exists()


def test_anonymous_is_sent_to_login(client, person):
    assert client.get(url(person))["Location"].startswith(reverse("login"))


def test_the_trainee_page_links_to_it(client, staff, person):
    client.force_login(staff)
    page = client.get(reverse("hocvien:trainee_detail", args=[person.pk]))
    assert url(person) in page.content.decode()


def test_hocvien_code_never_names_lophoc():
    """The link is in the template; hocvien's Python does not import lophoc (DESIGN §3)."""
    for path in (Path(settings.BASE_DIR) / "hocvien").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+lophoc\b", source, re.M), path
        assert "trainee_history" not in source, path


def test_the_queries_do_not_grow_with_the_classes(centre, staff):
    trainee = builders.make_trainee(centre)
    leader = make_leader(centre)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            trainee_history_document(trainee, day=DAY)
        return len(queries)

    def add_classes(number: int) -> None:
        for _ in range(number):
            course = builders.make_course(centre, status=CourseStatus.CLOSED)
            builders.make_enrolment(
                course, trainee=trainee, final_score=Decimal("8.0"), passed=True, is_eligible=True
            )
            certificates_issue(course=course, user=staff, signer=leader, issued_on=ISSUED_ON)

    add_classes(1)
    small = count()
    add_classes(2)
    assert count() == small
