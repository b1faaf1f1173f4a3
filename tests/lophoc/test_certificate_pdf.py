"""The certificate PDF: frozen fields only, one page each, fonts, page sizes, blank mode, QR."""

import datetime
import io
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader
from reportlab.graphics.barcode.qr import QrCodeWidget

from lophoc.documents import certificates as module
from lophoc.documents.certificates import (
    DEFAULT_BLANK_POSITIONS,
    blank_positions,
    calibration_pdf,
    certificates_pdf,
)
from lophoc.models import Certificate
from lophoc.verification import new_verification_code, verification_url
from tests import builders

LONG_NAME = "Tôn Nữ Hoàng Thị Phương Quỳnh Nguyễn Như Ý"[:40]
LONG_PROGRAM = (
    "Trung cấp lý luận chính trị – hành chính dành cho cán bộ, công chức cấp xã, phường, "
    "đặc khu và đơn vị sự nghiệp"
)
LONG_CLASS = "Lớp bồi dưỡng kiến thức quốc phòng an ninh đối tượng 4 khóa II năm 2026"


def make_certificate(enrolment, sequence, **overrides):
    values = {
        "centre": enrolment.course.centre,
        "enrolment": enrolment,
        "course": enrolment.course,
        "year": 2026,
        "sequence": sequence,
        "number": f"{sequence}-GCN/TTCT",
        "register_number": f"GCN-{sequence:04d}",
        "issued_on": datetime.date(2026, 3, 10),
        "verification_code": new_verification_code(),
        "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Giám",
        "full_name": enrolment.trainee.full_name,
        "date_of_birth": enrolment.trainee.date_of_birth,
        "unit_name": "Ủy ban nhân dân phường Phú Lợi",
        "course_code": enrolment.course.code,
        "course_name": enrolment.course.name,
        "program_name": enrolment.course.program.name,
        "course_start": enrolment.course.start_date,
        "course_end": enrolment.course.end_date,
        "classification": "good",
    }
    values.update(overrides)
    return Certificate.objects.create(**values)


def certificates_for(course, names):
    return [
        make_certificate(
            builders.make_enrolment(course, builders.make_trainee(course.centre, full_name=name)),
            index + 1,
        )
        for index, name in enumerate(names)
    ]


def nfc(text):
    return unicodedata.normalize("NFC", text)


def pages(content):
    return PdfReader(io.BytesIO(content)).pages


def texts(content):
    """Each page's text, NFC, with line breaks between separately drawn pieces made spaces."""
    return [" ".join(nfc(page.extract_text()).split()) for page in pages(content)]


def mm_size(page):
    return round(float(page.mediabox.width) / 72 * 25.4), round(
        float(page.mediabox.height) / 72 * 25.4
    )


NAMES = ["Nguyễn Thị Ánh Tuyết", "Trần Quốc Hưng", "Đặng Thị Ỷ Lan", LONG_NAME]


@pytest.mark.django_db
class TestFullMode:
    def test_one_page_per_certificate_with_each_name_exactly(self, course):
        certificates = certificates_for(course, NAMES)
        content = certificates_pdf(certificates)
        found = texts(content)
        assert len(found) == len(certificates)
        for text, certificate in zip(found, certificates, strict=True):
            assert nfc(certificate.full_name) in text
            assert certificate.number in text
            assert certificate.register_number in text
            assert "GIẤY CHỨNG NHẬN" in text
            assert "Xếp loại: Giỏi" in text
            code = certificate.verification_code
            assert f"{code[:4]}-{code[4:]}" in text
            assert "Phú Lợi, ngày 10 tháng 3 năm 2026" in text
            assert "PHÓ GIÁM ĐỐC" in text

    def test_a4_landscape_by_default_and_a5_when_chosen(self, course):
        [certificate] = certificates_for(course, ["Lê Văn Tám"])
        assert mm_size(pages(certificates_pdf([certificate]))[0]) == (297, 210)
        course.centre.certificate_page_size = "a5"
        course.centre.save()
        certificate.refresh_from_db()
        assert mm_size(pages(certificates_pdf([certificate]))[0]) == (210, 148)
        assert mm_size(pages(certificates_pdf([certificate], mode="blank"))[0]) == (210, 148)

    def test_embedded_font_is_tinos(self, course):
        [certificate] = certificates_for(course, ["Lê Văn Tám"])
        page = pages(certificates_pdf([certificate]))[0]
        fonts = page["/Resources"]["/Font"]
        names = [str(font.get_object()["/BaseFont"]) for font in fonts.values()]
        assert names and all("Tinos" in name for name in names)
        assert any(name.endswith("Tinos-Bold") for name in names)  # the title
        for font in fonts.values():
            descriptor = font.get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # embedded, not merely named

    def test_party_and_state_mottos(self, course):
        [certificate] = certificates_for(course, ["Lê Văn Tám"])
        Certificate.objects.filter(pk=certificate.pk).update(salutation="Ông")
        certificate.refresh_from_db()
        text = texts(certificates_pdf([certificate]))[0]
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Chứng nhận: Ông Lê Văn Tám" in text
        course.centre.document_layout = "state"
        course.centre.save()
        certificate.refresh_from_db()
        text = texts(certificates_pdf([certificate]))[0]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        # The salutation is the frozen one, whatever the layout; never the literal «Ông/Bà».
        assert "Chứng nhận: Ông Lê Văn Tám" in text and "Ông/Bà" not in text

    def test_attendance_only_has_no_classification(self, course):
        enrolment = builders.make_enrolment(course)
        certificate = make_certificate(enrolment, 1, classification="")
        assert "Xếp loại" not in texts(certificates_pdf([certificate]))[0]

    def test_frozen_fields_not_live_trainee(self, course):
        [certificate] = certificates_for(course, ["Phạm Thị Hồng Nhung"])
        trainee = certificate.enrolment.trainee
        trainee.full_name = "Tên Đã Đổi Sau"
        trainee.save()
        course.name = "Lớp đã đổi tên"
        course.save()
        certificate = Certificate.objects.get(pk=certificate.pk)
        text = texts(certificates_pdf([certificate]))[0]
        assert "Phạm Thị Hồng Nhung" in text
        assert "Tên Đã Đổi Sau" not in text and "Lớp đã đổi tên" not in text

    def test_reprint_is_identical_in_text(self, course):
        certificates = certificates_for(course, NAMES[:2])
        assert texts(certificates_pdf(certificates)) == texts(certificates_pdf(certificates))

    def test_longest_name_and_titles_fit_the_page(self, course):
        enrolment = builders.make_enrolment(course)
        certificate = make_certificate(
            enrolment,
            1,
            full_name=LONG_NAME,
            program_name=LONG_PROGRAM,
            course_name=LONG_CLASS,
            completion_text=(
                f"Đã hoàn thành chương trình {LONG_PROGRAM} tổ chức tại Hội trường Ủy ban "
                "nhân dân phường Phú Lợi, số 1 đường Hùng Vương từ ngày 02/03/2026 đến ngày "
                "06/03/2026"
            ),
        )
        assert len(LONG_NAME) == 40 and len(certificate.completion_text) >= 230
        page = pages(certificates_pdf([certificate]))[0]
        width = float(page.mediabox.width)
        spans = []

        def visitor(text, cm, tm, font, size):
            if text.strip():
                spans.append((tm[4], text))

        text = " ".join(nfc(page.extract_text(visitor_text=visitor)).split())
        assert LONG_NAME in text
        assert "số 1 đường Hùng Vương từ ngày 02/03/2026 đến ngày 06/03/2026" in text
        assert course.code not in text
        for x, _ in spans:
            assert 0 < x < width

    def test_qr_encodes_the_public_verification_url(self, course, monkeypatch):
        [certificate] = certificates_for(course, ["Lê Văn Tám"])
        drawn = []
        real = module.qr_modules

        def spy(url):
            drawn.append(url)
            squares, side = real(url)
            assert len(squares) > 50  # a real code, not an empty drawing
            return squares, side

        monkeypatch.setattr(module, "qr_modules", spy)
        certificates_pdf([certificate])
        certificates_pdf([certificate], mode="blank")
        url = verification_url(certificate.verification_code)
        assert drawn == [url, url]
        assert url.endswith(reverse("verify_code", args=[certificate.verification_code]))

    def test_qr_modules_lie_inside_the_code_and_its_quiet_zone(self):
        url = "https://trungtam.example.vn/xac-thuc/ABCD2345"
        squares, side = module.qr_modules(url)
        x0, y0, x1, y1 = QrCodeWidget(url, barLevel="M").getBounds()
        assert side == x1 - x0 == y1 - y0 > 0
        assert len(squares) > 50
        # Inside the code, with the white margin (quiet zone) all round left blank.
        assert all(0 < x and x + w < side and 0 < y and y + h < side for x, y, w, h in squares)

    def test_unknown_mode_refused(self, course):
        [certificate] = certificates_for(course, ["Lê Văn Tám"])
        with pytest.raises(ValueError):
            certificates_pdf([certificate], mode="other")


@pytest.mark.django_db
class TestBlankMode:
    def test_only_variable_fields(self, course):
        certificates = certificates_for(course, NAMES)
        found = texts(certificates_pdf(certificates, mode="blank"))
        assert len(found) == len(NAMES)
        for text, certificate in zip(found, certificates, strict=True):
            assert nfc(certificate.full_name) in text
            assert certificate.number in text
            assert "GIẤY CHỨNG NHẬN" not in text
            assert "Số vào sổ" not in text
            assert "ĐẢNG CỘNG SẢN" not in text

    def test_moved_position_is_honoured(self, course):
        centre = course.centre
        centre.certificate_blank_positions = {"full_name": [50, 40]}
        centre.save()
        [certificate] = certificates_for(course, ["Võ Thị Sáu"])
        page = pages(certificates_pdf([certificate], mode="blank"))[0]
        where = {}

        def visitor(text, cm, tm, font, size):
            if "Võ Thị Sáu" in nfc(text):
                where["x"], where["y"] = tm[4], tm[5]

        page.extract_text(visitor_text=visitor)
        height = float(page.mediabox.height)
        assert where["x"] / 72 * 25.4 == pytest.approx(50, abs=0.5)
        assert (height - where["y"]) / 72 * 25.4 == pytest.approx(40, abs=0.5)

    def test_positions_merge_over_defaults(self, centre):
        centre.certificate_blank_positions = {"number": [12, 34], "unknown": [1, 2]}
        positions = blank_positions(centre)
        assert set(positions) == set(DEFAULT_BLANK_POSITIONS)
        assert positions["number"] == (12, 34)
        assert positions["full_name"] == DEFAULT_BLANK_POSITIONS["full_name"]
        centre.certificate_page_size = "a5"
        assert blank_positions(centre)["full_name"][0] < DEFAULT_BLANK_POSITIONS["full_name"][0]


@pytest.mark.django_db
def test_calibration_page(centre):
    for size, expected in (("a4", (297, 210)), ("a5", (210, 148))):
        centre.certificate_page_size = size
        [page] = pages(calibration_pdf(centre))
        assert mm_size(page) == expected
        text = nfc(page.extract_text())
        assert "Họ và tên" in text and "Mã QR" in text
        assert "GIẤY CHỨNG NHẬN" not in text
