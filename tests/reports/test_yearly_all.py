"""The all-centres report as an official document of a real issuer (issue 13, item 14): the
province-level body set in the admin, its number, place and date, "Kính gửi", "Nơi nhận" and
signature in its layout; DỰ THẢO until sent; the rules for sending; the frozen reprint; the pages
(who reads, who writes) and the command without an issuer."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.urls import reverse
from openpyxl import load_workbook

from tests import builders
from tests.pdf_reading import pdf_pages
from tests.reports.yearly_helpers import YEAR, full_year, send_centres, written
from trungtam.models import DocumentLayout, ReportIssuer, Role
from trungtam.reports import yearly, yearly_all
from trungtam.reports.management.commands.yearly_report import Command
from trungtam.reports.models import AllCentresReport, ReportStatus
from trungtam.reports.yearly_documents import build

pytestmark = pytest.mark.django_db

WRONG_ISSUER = "CÁC TRUNG TÂM CHÍNH TRỊ"
PAST = 2025  # a year that has ended, so a page can send without a cut-off date
SENT_ON = datetime.date(YEAR, 12, 6)
STATE = {
    "parent_body": "Ủy ban nhân dân tỉnh Bình Dương",
    "name": "Sở Nội vụ",
    "short_name": "SNV",
    "place_name": "Bình Dương",
    "document_layout": DocumentLayout.STATE,
    "addressee": "",
    "recipients": "Ủy ban nhân dân tỉnh\nLưu: VT",
    "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
    "signer_name": "Lê Văn Sở",
}


@pytest.fixture
def centres(centre, other_centre):
    full_year(centre, classes=2)
    full_year(other_centre, classes=1)
    return [centre, other_centre]


@pytest.fixture
def issuer(db):
    return builders.make_report_issuer()


def text_of(content: dict) -> str:
    return "\n".join(pdf_pages(build(content, "pdf").content))


def flat(text: str) -> str:
    return " ".join(text.split())


def xlsx_values(content: dict) -> list[str]:
    book = load_workbook(BytesIO(build(content, "xlsx").content))
    return [
        str(c)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
    ]


# --- no issuer, no document ---------------------------------------------------------------------


def test_without_an_issuer_in_use_nothing_is_printed(centres):
    with pytest.raises(yearly_all.NoIssuer) as refused:
        yearly_all.all_centres_content(centres, YEAR)
    assert "Quản trị › Trung tâm và người dùng › Cơ quan ban hành báo cáo tổng hợp" in (
        refused.value.message
    )
    builders.make_report_issuer(active=False)
    with pytest.raises(yearly_all.NoIssuer):
        yearly_all.all_centres_content(centres, YEAR)
    with pytest.raises(yearly_all.NoIssuer):
        yearly_all.all_report_save(year=YEAR, values={"number": "1"}, user=None)
    assert not AllCentresReport.objects.exists()


def test_the_command_exits_1_with_the_reason_and_writes_nothing(centres, tmp_path, capsys,
                                                                monkeypatch):  # fmt: skip
    monkeypatch.setattr(connections, "close_all", lambda: None)
    target = tmp_path / "tong-hop.pdf"
    with pytest.raises(SystemExit) as exit:
        Command().run_from_argv(
            ["manage.py", "yearly_report", str(YEAR), "--format", "pdf", "-o", str(target),
             "--skip-checks"]
        )  # fmt: skip
    assert exit.value.code == 1
    err = capsys.readouterr().err
    assert "Chưa khai báo cơ quan ban hành báo cáo tổng hợp" in err
    assert list(tmp_path.iterdir()) == []


# --- the document ----------------------------------------------------------------------------


def test_the_party_draft_is_the_issuers_document_with_draft_on_every_page(centres, issuer):
    written()
    content = yearly_all.all_centres_content(centres, YEAR)
    pages = pdf_pages(build(content, "pdf").content)
    assert len(pages) >= 3 and all("DỰ THẢO" in page for page in pages)
    first = flat(pages[0])
    for phrase in (
        "TỈNH ỦY BÌNH DƯƠNG",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 27-BC/BTGDVTU",
        "Thủ Dầu Một, ngày 20 tháng 12 năm 2026",
        "BÁO CÁO",
        "Tổng hợp kết quả công tác đào tạo, bồi dưỡng năm 2026",
        "(Số liệu tính đến ngày 30/11/2026)",
        "Kính gửi: Ban Thường vụ Tỉnh ủy",
        "I. TÌNH HÌNH CHUNG",
        "Các trung tâm hoàn thành kế hoạch năm.",
    ):
        assert phrase in first, phrase
    text = flat("\n".join(pages))
    for phrase in (
        "II. ĐÁNH GIÁ, KIẾN NGHỊ",
        "Nơi nhận:",
        "- Ban Thường vụ Tỉnh ủy (để báo cáo);",
        "- Các trung tâm chính trị;",
        "- Lưu Văn phòng.",
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Phạm Văn Tỉnh",
        "PHỤ LỤC",
        "(Kèm theo Báo cáo số 27-BC/BTGDVTU ngày 20/12/2026 của Ban Tuyên giáo và Dân vận Tỉnh ủy)",
        "Báo cáo của các trung tâm",
        "Tổng cộng",
    ):
        assert phrase in text, phrase
    for centre in centres:
        assert centre.name in text
    assert WRONG_ISSUER not in text and "KT. TRƯỞNG BAN" not in text
    assert "còn 2 trung tâm chưa gửi báo cáo năm" in text


def test_the_state_layout_numbers_signs_and_files_as_decree_30(centres):
    builders.make_report_issuer(**STATE)
    content = yearly_all.all_centres_content(centres, YEAR)
    text = flat(text_of(content))
    for phrase in (
        "ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG",
        "SỞ NỘI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/BC-SNV",
        "- Ủy ban nhân dân tỉnh;",
        "- Lưu: VT.",
        "KT. GIÁM ĐỐC",
        "Lê Văn Sở",
    ):
        assert phrase in text, phrase
    # A draft without a date prints a blank date line to fill in by hand, never today's.
    assert "Bình Dương, ngày …… tháng …… năm ……" in text
    assert "Kính gửi" not in text  # none set: no line
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text and "K/T" not in text
    assert WRONG_ISSUER not in text


def test_a_long_place_keeps_the_date_line_on_one_line(centres):
    """ "TP. Hồ Chí Minh, ngày …… tháng …… năm ……" is wider than the motto's column: the column
    grows, the line does not wrap with its last «……» alone below."""
    builders.make_report_issuer(
        parent_body="Thành ủy TP. Hồ Chí Minh", place_name="TP. Hồ Chí Minh"
    )
    content = yearly_all.all_centres_content(centres, YEAR)
    lines = pdf_pages(build(content, "pdf").content)[0].splitlines()
    assert any("TP. Hồ Chí Minh, ngày …… tháng …… năm ……" in line for line in lines)
    assert "……" not in [line.strip() for line in lines]
    written()
    content = yearly_all.all_centres_content(centres, YEAR)
    lines = pdf_pages(build(content, "pdf").content)[0].splitlines()
    assert any("TP. Hồ Chí Minh, ngày 20 tháng 12 năm 2026" in line for line in lines)


def test_the_xlsx_names_the_issuer_number_recipients_and_signer(centres, issuer):
    written()
    values = xlsx_values(yearly_all.all_centres_content(centres, YEAR))
    assert "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY" in values
    assert "Số 27-BC/BTGDVTU" in values
    assert "Kính gửi: Ban Thường vụ Tỉnh ủy" in values
    assert "- Ban Thường vụ Tỉnh ủy (để báo cáo);" in values and "- Lưu Văn phòng." in values
    assert "K/T TRƯỞNG BAN" in values and "Phạm Văn Tỉnh" in values
    assert "I. TÌNH HÌNH CHUNG" in values and "Tổng cộng" in values
    assert any(v.startswith("DỰ THẢO") for v in values)
    assert not any(WRONG_ISSUER in v for v in values)


def test_the_texts_are_prefilled_from_the_figures(centres, issuer):
    content = yearly_all.all_centres_content(centres, YEAR)
    general = content["document"]["general_text"]
    assessment = content["document"]["assessment_text"]
    assert general.startswith("Năm 2026, các trung tâm mở 7/12 lớp, đạt 58,3% kế hoạch")
    assert assessment.splitlines()[0].startswith("Ưu điểm: ")
    assert "Hạn chế: Còn 5 lớp theo kế hoạch chưa mở" in assessment
    # The centres below plan are named.
    for centre in centres:
        assert f"{centre.name} mới mở" in assessment
    assert assessment.splitlines()[-1] == (
        "Kiến nghị, đề xuất: " + yearly_all.RECOMMENDATIONS_PLACEHOLDER
    )


# --- sending -----------------------------------------------------------------------------------


def test_sending_is_refused_until_every_rule_is_met(centres, issuer):
    with pytest.raises(yearly.ReportRefused, match="Hãy lưu báo cáo tổng hợp"):
        yearly_all.all_report_send(year=YEAR, centres=centres, user=None, today=SENT_ON)
    yearly_all.all_report_save(year=YEAR, values={}, user=None)
    report = yearly_all.all_report_for(YEAR)
    content = yearly_all.all_centres_content(centres, YEAR, report=report)
    missing = " ".join(yearly_all.send_refusals(report, content, today=SENT_ON))
    assert "Hãy nhập số văn bản" in missing and "Hãy nhập ngày báo cáo" in missing
    assert "Hãy viết và lưu phần «Tình hình chung»" in missing
    assert "Năm 2026 chưa kết thúc" in missing  # the centre report's cut-off rule
    names = ", ".join(c.name for c in centres)
    assert f"còn 2 trung tâm chưa gửi báo cáo năm 2026: {names}" in missing
    written(assessment_text="Ưu điểm: tốt.\nKiến nghị: " + yearly_all.RECOMMENDATIONS_PLACEHOLDER)
    send_centres(centres[:1])
    with pytest.raises(yearly.ReportRefused) as refused:
        yearly_all.all_report_send(year=YEAR, centres=centres, user=None, today=SENT_ON)
    message = refused.value.message
    assert "Phần «Đánh giá, kiến nghị» còn chỗ để trống trong ngoặc vuông" in message
    assert f"còn 1 trung tâm chưa gửi báo cáo năm 2026: {centres[1].name}" in message
    assert "chưa kết thúc" not in message  # the cut-off date is there
    assert AllCentresReport.objects.get().status == ReportStatus.DRAFT


def test_a_sent_report_is_frozen_and_reprints_byte_for_byte(centres, issuer, superuser):
    send_centres(centres)
    written()
    report = yearly_all.all_report_send(year=YEAR, centres=centres, user=superuser, today=SENT_ON)
    assert report.is_sent and report.sent_by == superuser and report.snapshot["final"] is True
    first = build(yearly_all.all_centres_content(centres, YEAR), "pdf").content
    first_xlsx = build(yearly_all.all_centres_content(centres, YEAR), "xlsx").content
    pages = pdf_pages(first)
    assert not any("DỰ THẢO" in page for page in pages)
    assert "Số 27-BC/BTGDVTU" in pages[0] and "Phạm Văn Tỉnh" in "\n".join(pages)
    # Later changes — the issuer renamed, another body in use, a class added — change nothing.
    issuer.name = "Ban Tuyên giáo Tỉnh ủy (mới)"
    issuer.active = False
    issuer.save()
    builders.make_report_issuer(**STATE)
    builders.make_course(centres[0], start_date=datetime.date(YEAR, 3, 2))
    again = yearly_all.all_centres_content(centres, YEAR)
    assert build(again, "pdf").content == first
    assert build(again, "xlsx").content == first_xlsx
    with pytest.raises(yearly.ReportRefused, match="đã gửi ngày"):
        yearly_all.all_report_save(year=YEAR, values={"number": "28"}, user=None)
    with pytest.raises(yearly.ReportRefused, match="đã gửi ngày"):
        yearly_all.all_report_send(year=YEAR, centres=centres, user=None, today=SENT_ON)


# --- the issuer --------------------------------------------------------------------------------


def test_one_issuer_in_use_at_a_time(issuer):
    second = ReportIssuer(**{**STATE, "active": True})
    with pytest.raises(ValidationError, match="Đã có một cơ quan ban hành đang dùng"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    builders.make_report_issuer(**{**STATE, "active": False})
    assert ReportIssuer.objects.active().get() == issuer


@pytest.mark.parametrize(
    "layout, title, right",
    [
        (DocumentLayout.PARTY, "KT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN", "K/T"),
        (DocumentLayout.PARTY, "TM. BAN THƯỜNG VỤ", "T/M"),
        (DocumentLayout.STATE, "K/T GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "KT."),
        (DocumentLayout.STATE, "T/L GIÁM ĐỐC", "TL."),
    ],
)
def test_the_signing_form_must_be_the_layouts(db, layout, title, right):
    issuer = ReportIssuer(**{**STATE, "document_layout": layout, "signer_title": title})
    with pytest.raises(ValidationError) as refused:
        issuer.full_clean()
    assert f"viết «{right}»" in " ".join(refused.value.message_dict["signer_title"])


def test_titles_in_the_layouts_form_are_accepted(db):
    builders.make_report_issuer(signer_title="T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ")
    builders.make_report_issuer(**{**STATE, "active": False, "signer_title": "GIÁM ĐỐC"})
    builders.make_report_issuer(**{**STATE, "active": False, "signer_title": "Q. GIÁM ĐỐC"})
    stored = ReportIssuer.objects.order_by("pk").values_list("signer_title", flat=True)
    assert list(stored) == ["T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ", "GIÁM ĐỐC", "Q. GIÁM ĐỐC"]


def test_the_signer_title_keeps_its_two_lines(issuer):
    issuer.refresh_from_db()
    assert issuer.signer_title == "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN"


# --- the pages ---------------------------------------------------------------------------------


def url(name, year=YEAR):
    return reverse(f"reports:{name}", args=[year])


def test_without_an_issuer_the_pages_say_what_to_set_up(client, superuser, province_official,
                                                        centres):  # fmt: skip
    client.force_login(province_official)
    response = client.get(url("yearly_all_pdf"))
    assert response.status_code == 302 and response.url == url("yearly_all_detail")
    page = client.get(response.url).content.decode()
    assert "Chưa khai báo cơ quan ban hành báo cáo tổng hợp" in page
    assert "Quản trị › Trung tâm và người dùng › Cơ quan ban hành báo cáo tổng hợp" in page
    assert reverse("admin:trungtam_reportissuer_add") not in page  # officials do not set it up
    client.force_login(superuser)
    page = client.get(url("yearly_all_detail")).content.decode()
    assert reverse("admin:trungtam_reportissuer_add") in page


def test_province_officials_read_and_never_write(client, province_official, centres, issuer):
    client.force_login(province_official)
    page = client.get(url("yearly_all_detail")).content.decode()
    assert "Ban Tuyên giáo và Dân vận Tỉnh ủy" in page
    assert f'action="{url("yearly_all_detail")}"' not in page
    assert url("yearly_all_send") not in page
    assert client.post(url("yearly_all_detail"), {"number": "5"}).status_code == 403
    assert client.get(url("yearly_all_send")).status_code == 403
    assert client.post(url("yearly_all_send")).status_code == 403
    assert not AllCentresReport.objects.exists()


def test_an_admin_of_one_centre_does_not_see_it(client, admin_user, centres, issuer):
    client.force_login(admin_user)
    for name in ("yearly_all_detail", "yearly_all_send", "yearly_all_pdf"):
        assert client.get(url(name)).status_code == 404


def test_an_admin_who_sees_every_centre_writes_and_sends_after_a_confirmation(
    client, superuser, centre, other_centre, issuer
):
    full_year(centre, year=PAST, classes=1)
    full_year(other_centre, year=PAST, classes=1)
    client.force_login(superuser)
    page = client.get(url("yearly_all_detail", PAST)).content.decode()
    assert "Năm 2025, các trung tâm mở" in page  # the form is pre-filled from the figures
    response = client.post(
        url("yearly_all_detail", PAST),
        {
            "number": "27",
            "report_date": "20/12/2025",
            "data_until": "",
            "general_text": "Các trung tâm hoàn thành kế hoạch.",
            "assessment_text": "Ưu điểm: tốt.\nKiến nghị: Không có.",
        },
    )
    assert response.status_code == 302
    report = AllCentresReport.objects.get(year=PAST)
    assert report.number == "27" and report.issuer == issuer
    page = client.get(url("yearly_all_send", PAST)).content.decode()
    assert "còn 2 trung tâm chưa gửi báo cáo năm 2025" in page and "se-chot" not in page
    send_centres([centre, other_centre], PAST)
    page = client.get(url("yearly_all_send", PAST)).content.decode()
    for phrase in ("Sẽ được chốt", "Số 27-BC/BTGDVTU", "20/12/2025", "Phạm Văn Tỉnh",
                   "Ban Thường vụ Tỉnh ủy (để báo cáo)", "báo cáo đã gửi của 2 trung tâm"):  # fmt: skip
        assert phrase in page, phrase
    assert client.post(url("yearly_all_send", PAST)).status_code == 302
    report.refresh_from_db()
    assert report.is_sent and report.sent_by == superuser
    pages = pdf_pages(client.get(url("yearly_all_pdf", PAST)).getvalue())
    assert not any("DỰ THẢO" in page for page in pages)
    response = client.post(url("yearly_all_detail", PAST), {"number": "28"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.number == "27"


def test_bad_input_keeps_what_was_typed_and_names_the_field(client, superuser, centres, issuer):
    client.force_login(superuser)
    response = client.post(
        url("yearly_all_detail"),
        {"number": "12/BC", "report_date": "31/02/2026", "general_text": "Giữ nguyên."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "chỉ gồm chữ số" in page and "Hãy nhập ngày theo dạng ngày/tháng/năm" in page
    assert "Giữ nguyên." in page
    assert not AllCentresReport.objects.exists()


# --- the admin ---------------------------------------------------------------------------------


def test_only_admins_who_see_every_centre_open_the_issuer_in_the_admin(client, admin_user,
                                                                      superuser, issuer):  # fmt: skip
    changelist = reverse("admin:trungtam_reportissuer_changelist")
    client.force_login(admin_user)
    assert client.get(changelist).status_code == 403
    assert client.get(reverse("admin:index")).content.decode().count("reportissuer") == 0
    province_admin = builders.make_user(role=Role.ADMIN, centre=None, username="quantri_tinh")
    client.force_login(province_admin)
    assert client.get(changelist).status_code == 200
    response = client.post(
        reverse("admin:trungtam_reportissuer_change", args=[issuer.pk]),
        {
            "name": issuer.name,
            "parent_body": issuer.parent_body,
            "short_name": issuer.short_name,
            "place_name": issuer.place_name,
            "document_layout": "party",
            "addressee": "",
            "recipients": "Ban Thường vụ Tỉnh ủy",
            "signer_title": "KT. TRƯỞNG BAN",
            "signer_name": "Phạm Văn Tỉnh",
            "active": "on",
        },
    )
    assert response.status_code == 200  # refused, with the reason next to the field
    assert "viết «K/T»" in response.content.decode()
    client.force_login(superuser)
    assert client.get(changelist).status_code == 200


def test_a_centre_reports_signer_title_keeps_its_two_lines_too(centre):
    # 0006_report_issuer made YearlyReport.signer_title a TextField: a CharField's normalisation
    # ran "K/T GIÁM ĐỐC" and "PHÓ GIÁM ĐỐC" into one printed line.
    report = yearly.report_save(
        report=yearly.report_for(centre, YEAR),
        values={"signer_title": "K/T GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"},
        user=None,
    )
    report.refresh_from_db()
    assert report.signer_title == "K/T GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
