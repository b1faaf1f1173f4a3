"""Result notices signed digitally (issue 18): a closed class's notices print the same bytes every
time, are signed once (the batch for staff, one unit's letters on the unit's page) with the box
in the director's signature area, and every later download returns the kept copy — the same for
the unit's liaison and for staff. Drafts are never signed; a key that refuses says why."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lophoc.documents.result_notices import result_notices_pdf, signature_place
from lophoc.models import CourseStatus, CourseStatusChange
from tests import builders
from tests.donvi.conftest import cell, closed_with_results, commune, liaison  # noqa: F401
from tests.signing.pki import pkcs12_settings
from trungtam.documents import pdf
from trungtam.models import SignedDocument, SignedKind
from trungtam.signing import verify_pdf

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def notices(centre, commune, cell):  # noqa: F811
    leader = centre.leaders.create(role="director", full_name="Trần Văn Giám", active=True)
    hoa = builders.make_trainee(centre, unit=commune, full_name="Nguyễn Thị Hoa")
    son = builders.make_trainee(centre, unit=cell, full_name="Lê Văn Sơn")
    lan = builders.make_trainee(centre, unit=commune, full_name="Phạm Thị Lan")
    course, _ = closed_with_results(centre, [(hoa, commune), (son, cell), (lan, commune)])
    CourseStatusChange.objects.create(
        course=course, old_status=CourseStatus.GRADING, new_status=CourseStatus.CLOSED
    )
    return {"course": course, "leader": leader}


def notices_url(course):
    return reverse("lophoc:course_document", args=[course.pk, "notices", "pdf"])


def widget_rect(content: bytes) -> tuple[int, list[float]]:
    """The page (0-based) and rectangle of the signature's widget."""
    reader = PdfReader(BytesIO(content))
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if (
                annotation.get("/FT") == "/Sig"
                or annotation.get("/Parent", {}).get("/FT") == "/Sig"
            ):
                return number, [float(v) for v in annotation["/Rect"]]
    raise AssertionError("no signature widget")


def test_a_closed_classs_notices_print_the_same_bytes_every_day(notices):
    course = notices["course"]
    first = result_notices_pdf(course)
    assert result_notices_pdf(course) == first
    # Dated the day the class was closed, not the day they are printed.
    day = CourseStatusChange.objects.get().created_at.astimezone().date()
    assert f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}" in "".join(
        page.extract_text() for page in PdfReader(BytesIO(first)).pages
    ) or f"ngày {day.day} tháng {day.month} năm {day.year}" in "".join(
        page.extract_text() for page in PdfReader(BytesIO(first)).pages
    )


def test_the_signature_place_is_the_last_letters_signing_room(notices):
    content = result_notices_pdf(notices["course"])
    box, page = signature_place(content)
    assert page == len(PdfReader(BytesIO(content)).pages) - 1
    x1, y1, x2, y2 = box
    width = pdf.page_size()[0]
    assert width / 2 < x1 < x2 <= width - pdf.MARGIN_RIGHT
    assert pdf.MARGIN_BOTTOM < y1 < y2 and 20 * 2.83 < y2 - y1 < 25 * 2.83


def test_staff_download_the_batch_signed_once_and_the_same_bytes_ever_after(
    client, staff, notices, centre_key
):
    course = notices["course"]
    client.force_login(staff)
    first = body(client.get(notices_url(course)))
    result = verify_pdf(first)
    assert result.valid and "Phú Lợi" in result.signer
    assert result.covers_revision(result_notices_pdf(course))
    again = body(client.get(notices_url(course)))
    assert again == first
    kept = SignedDocument.objects.get()
    assert (kept.kind, kept.ref, bytes(kept.data)) == (
        SignedKind.RESULT_NOTICE,
        str(course.pk),
        first,
    )
    # The box sits in the signature area of the last letter, as render_pdf found it.
    page, rect = widget_rect(first)
    box, place_page = signature_place(result_notices_pdf(course))
    assert page == place_page
    assert rect == pytest.approx([round(v) for v in box], abs=1)


def test_the_liaison_and_staff_get_the_same_signed_letters_of_the_unit(
    client,
    staff,
    liaison,  # noqa: F811
    commune,  # noqa: F811
    notices,
    centre_key,  # noqa: F811
):
    course = notices["course"]
    url = reverse("donvi:result_notice", args=[commune.pk, course.pk])
    client.force_login(liaison)
    theirs = body(client.get(url))
    assert verify_pdf(theirs).valid
    client.force_login(staff)
    ours = body(client.get(url))
    assert ours == theirs
    kept = SignedDocument.objects.get()
    assert kept.ref == f"{course.pk}:{commune.pk}"
    # The batch is another document, signed on its own.
    batch = body(client.get(notices_url(course)))
    assert batch != ours and verify_pdf(batch).valid
    assert set(SignedDocument.objects.values_list("ref", flat=True)) == {
        str(course.pk),
        f"{course.pk}:{commune.pk}",
    }


def test_a_reopened_classs_draft_notices_are_never_signed(client, staff, notices, centre_key):
    course = notices["course"]
    course.status = CourseStatus.GRADING
    course.save(update_fields=["status"])
    client.force_login(staff)
    content = body(client.get(notices_url(course)))
    assert not verify_pdf(content).signed
    assert not SignedDocument.objects.exists()


def test_without_a_key_the_notices_are_unsigned_as_before(client, staff, notices):
    client.force_login(staff)
    content = body(client.get(notices_url(notices["course"])))
    assert not verify_pdf(content).signed
    assert not SignedDocument.objects.exists()


def test_an_expired_key_sends_staff_back_with_the_reason(
    client, staff, notices, settings, signing_pki
):
    settings.SIGNING = pkcs12_settings(signing_pki.expired_p12)
    course = notices["course"]
    client.force_login(staff)
    response = client.get(notices_url(course), follow=True)
    assert response.redirect_chain[-1][0].endswith("#tai-lieu")
    text = response.content.decode()
    assert "Chưa ký số được thông báo kết quả" in text and "quản trị hệ thống" in text
    assert "hết hạn" in text
    assert not SignedDocument.objects.exists()


def test_an_expired_key_sends_the_liaison_back_to_the_unit_page(
    client,
    liaison,  # noqa: F811
    commune,  # noqa: F811
    notices,
    settings,
    signing_pki,  # noqa: F811
):
    settings.SIGNING = pkcs12_settings(signing_pki.expired_p12)
    client.force_login(liaison)
    url = reverse("donvi:result_notice", args=[commune.pk, notices["course"].pk])
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "Chưa ký số được thông báo kết quả" in response.content.decode()


def test_an_explicit_day_still_prints_that_day(notices):
    content = result_notices_pdf(notices["course"], day=datetime.date(2026, 5, 4))
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    assert "ngày 04 tháng 5 năm 2026" in " ".join(text.split())
