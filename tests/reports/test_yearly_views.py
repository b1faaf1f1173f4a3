"""Pages of the yearly report: every role on every view, the form, sending, downloads, and the
same number of queries at N and 3N classes."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import builders
from tests.pdf_reading import pdf_pages
from tests.reports.yearly_helpers import YEAR, Year, full_year
from trungtam.models import Role
from trungtam.reports import yearly
from trungtam.reports.models import ReportStatus, YearlyReport

pytestmark = pytest.mark.django_db

FORM = {
    "number": "12",
    "report_date": "05/12/2026",
    "place": "Phú Lợi",
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "Trần Văn Giám",
    "recipients": "Ban Thường vụ Đảng ủy phường Phú Lợi\nLưu VT",
    "data_until": "30/11/2026",
    "results_text": "Kết quả tốt.",
    "strengths_text": "Học viên nghiêm túc.",
    "limitations_text": "Còn hạn chế.",
    "causes_text": "Đơn vị cử thiếu.",
    "lessons_text": "Phối hợp sớm.",
    "direction_text": "Làm tốt hơn.",
    "recommendations_text": "Không có.",
}


@pytest.fixture
def year(centre):
    return full_year(centre, classes=1)


@pytest.fixture
def leader_user(centre):
    return builders.make_user(
        role=Role.STAFF, centre=centre, username="giamdoc", is_centre_leader=True
    )


def url(name, centre=None, year=YEAR):
    if name == "yearly_list":
        return reverse("reports:yearly_list") + f"?nam={year}"
    if name.startswith("yearly_all"):
        return reverse(f"reports:{name}", args=[year])
    return reverse(f"reports:{name}", args=[centre.pk, year])


def saved_report(centre) -> YearlyReport:
    values = {
        **FORM,
        "report_date": datetime.date(YEAR, 12, 5),
        "data_until": datetime.date(YEAR, 11, 30),
    }
    return yearly.report_save(report=yearly.report_for(centre, YEAR), values=values, user=None)


# --- who may do what -------------------------------------------------------------------------

READS = ["yearly_detail", "yearly_pdf", "yearly_xlsx"]


@pytest.mark.parametrize("name", [*READS, "yearly_send"])
def test_anonymous_users_are_sent_to_log_in(client, centre, name):
    response = client.get(url(name, centre))
    assert response.status_code == 302 and reverse("login") in response.url


def test_anonymous_users_are_sent_to_log_in_from_the_list_and_all_centres(client, db):
    for target in (url("yearly_list"), url("yearly_all_pdf"), url("yearly_all_xlsx")):
        response = client.get(target)
        assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.parametrize("role", ["staff", "admin_user", "official", "province_official"])
@pytest.mark.parametrize("name", READS)
def test_readers_in_scope_see_the_report(client, request, year, centre, role, name):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(name, centre)).status_code == 200


@pytest.mark.parametrize("name", [*READS, "yearly_send"])
def test_lecturers_are_refused(client, lecturer, centre, name):
    client.force_login(lecturer)
    assert client.get(url(name, centre)).status_code == 403
    assert client.post(url(name, centre), FORM).status_code == 403


def test_lecturers_are_refused_the_list_and_the_all_centres_report(client, lecturer):
    client.force_login(lecturer)
    for target in (url("yearly_list"), url("yearly_all_pdf"), url("yearly_all_xlsx")):
        assert client.get(target).status_code == 403


@pytest.mark.parametrize("name", [*READS, "yearly_send"])
def test_another_centre_does_not_exist_for_staff(client, other_staff, centre, name):
    client.force_login(other_staff)
    assert client.get(url(name, centre)).status_code == 404
    assert client.post(url(name, centre), FORM).status_code == 404


@pytest.mark.parametrize("role", ["official", "province_official"])
def test_officials_are_refused_every_write(client, request, year, centre, role):
    client.force_login(request.getfixturevalue(role))
    assert client.post(url("yearly_detail", centre), FORM).status_code == 403
    regenerate = {**FORM, "tao_lai": "1"}
    assert client.post(url("yearly_detail", centre), regenerate).status_code == 403
    assert client.get(url("yearly_send", centre)).status_code == 403
    assert client.post(url("yearly_send", centre)).status_code == 403
    assert not YearlyReport.objects.exists()


def test_officials_read_without_a_form(client, official, year, centre):
    client.force_login(official)
    response = client.get(url("yearly_detail", centre))
    assert response.context["form"] is None
    body = response.content.decode()
    assert "Lưu báo cáo" not in body and "Đánh dấu đã gửi" not in body
    assert "Năm 2026, Trung tâm mở" in body  # the generated text, shown as such
    assert "Cán bộ trung tâm chưa lưu nội dung" in body


def test_staff_who_is_not_a_leader_cannot_send(client, staff, year, centre):
    saved_report(centre)
    client.force_login(staff)
    assert "Đánh dấu đã gửi" not in client.get(url("yearly_detail", centre)).content.decode()
    assert client.get(url("yearly_send", centre)).status_code == 403
    assert client.post(url("yearly_send", centre)).status_code == 403
    assert YearlyReport.objects.get().status == ReportStatus.DRAFT


def test_out_of_range_years_do_not_exist(client, staff, centre):
    client.force_login(staff)
    assert client.get(reverse("reports:yearly_detail", args=[centre.pk, 1990])).status_code == 404


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_each_centre_with_its_state(client, province_official, year, centre,
                                                   other_centre):  # fmt: skip
    saved_report(centre)
    client.force_login(province_official)
    response = client.get(url("yearly_list"))
    body = response.content.decode()
    assert centre.name in body and other_centre.name in body
    assert "Dự thảo" in body and "Chưa lập" in body
    assert url("yearly_all_pdf") in body and url("yearly_all_xlsx") in body
    row = next(r for r in response.context["rows"] if r["centre"] == centre)
    assert (row["figures"].opened, row["figures"].planned_classes) == (3, 6)


def test_staff_see_only_their_centre_without_the_all_centres_report(client, staff, centre,
                                                                    other_centre):  # fmt: skip
    client.force_login(staff)
    body = client.get(url("yearly_list")).content.decode()
    assert centre.name in body and other_centre.name not in body
    assert url("yearly_all_pdf") not in body
    assert client.get(url("yearly_all_pdf")).status_code == 404


def test_a_junk_year_falls_back_to_this_year(client, staff, centre):
    client.force_login(staff)
    response = client.get(reverse("reports:yearly_list") + "?nam=abc")
    assert response.status_code == 200 and response.context["year"] >= 2025


# --- the report page and its form ---------------------------------------------------------------


def test_the_page_shows_the_tables_and_a_form_prefilled_with_generated_text(client, staff, year,
                                                                             centre):  # fmt: skip
    client.force_login(staff)
    response = client.get(url("yearly_detail", centre))
    body = response.content.decode()
    for title in ("I. SỐ LỚP THEO CHƯƠNG TRÌNH VÀ HỆ", "V. SO SÁNH VỚI NĂM 2025"):
        assert title in body
    assert "Bồi dưỡng nhận thức về Đảng" in body
    form = response.context["form"]
    assert form.initial["results_text"].startswith("Năm 2026, Trung tâm mở 3/6 lớp, đạt 50,0%")
    assert form["signer_name"].value() == "Trần Văn Giám"
    assert not YearlyReport.objects.exists()  # looking writes nothing


def test_saving_keeps_the_text_and_says_so(client, staff, year, centre):
    client.force_login(staff)
    response = client.post(url("yearly_detail", centre), {**FORM, "luu": "1"}, follow=True)
    report = YearlyReport.objects.get()
    assert report.results_text == "Kết quả tốt." and report.number == "12"
    assert report.report_date == datetime.date(2026, 12, 5)
    assert report.recipients == "Ban Thường vụ Đảng ủy phường Phú Lợi\nLưu VT"
    assert "Đã lưu báo cáo năm 2026" in response.content.decode()
    # The saved text is what is printed now.
    text = "\n".join(pdf_pages(client.get(url("yearly_pdf", centre)).getvalue()))
    assert "Kết quả tốt." in text and "Số 12-BC/TTCT" in text and "DỰ THẢO" in text


def test_a_bad_form_keeps_the_input_and_shows_the_errors(client, staff, year, centre):
    client.force_login(staff)
    data = {**FORM, "number": "12a", "report_date": "31/02/2026"}
    response = client.post(url("yearly_detail", centre), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "chỉ gồm chữ số" in body and "ngày/tháng/năm" in body
    assert "Kết quả tốt." in body
    assert not YearlyReport.objects.exists()


def test_a_null_character_is_refused_in_vietnamese(client, staff, year, centre):
    client.force_login(staff)
    response = client.post(url("yearly_detail", centre), {**FORM, "results_text": "A\x00"})
    assert "ký tự không hợp lệ" in response.content.decode()
    assert not YearlyReport.objects.exists()


def test_a_report_date_in_another_year_is_refused(client, staff, year, centre):
    client.force_login(staff)
    response = client.post(url("yearly_detail", centre), {**FORM, "report_date": "05/12/2020"})
    assert "phải trong năm 2026 hoặc năm 2027" in response.content.decode()


def test_regenerating_fills_the_form_without_saving(client, staff, year, centre):
    saved_report(centre)
    client.force_login(staff)
    response = client.post(url("yearly_detail", centre), {**FORM, "tao_lai": "1"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["results_text"].value().startswith("Năm 2026, Trung tâm mở 3/6 lớp")
    assert form["number"].value() == "12"
    assert "chưa lưu" in response.content.decode()
    assert YearlyReport.objects.get().results_text == "Kết quả tốt."


# --- sending ---------------------------------------------------------------------------------


def test_a_leader_confirms_then_the_report_is_frozen(client, leader_user, year, centre):
    saved_report(centre)
    client.force_login(leader_user)
    page = client.get(url("yearly_send", centre))
    assert page.status_code == 200 and "Xác nhận đã gửi" in page.content.decode()
    assert YearlyReport.objects.get().status == ReportStatus.DRAFT
    response = client.post(url("yearly_send", centre), follow=True)
    report = YearlyReport.objects.get()
    assert report.status == ReportStatus.SENT and report.sent_by == leader_user
    assert "Đã đánh dấu báo cáo năm 2026 đã gửi" in response.content.decode()
    pages = pdf_pages(client.get(url("yearly_pdf", centre)).getvalue())
    assert not any("DỰ THẢO" in page for page in pages)
    # Frozen: no form, and a late save is refused with a message.
    assert client.get(url("yearly_detail", centre)).context["form"] is None
    response = client.post(
        url("yearly_detail", centre), {**FORM, "results_text": "Sửa"}, follow=True
    )
    assert "không sửa được nữa" in response.content.decode()
    assert YearlyReport.objects.get().results_text == "Kết quả tốt."


def test_sending_an_incomplete_report_lists_what_is_missing(client, leader_user, year, centre):
    client.force_login(leader_user)
    response = client.post(url("yearly_send", centre))
    assert response.status_code == 200
    assert "Hãy lưu báo cáo" in response.content.decode()
    yearly.report_save(
        report=yearly.report_for(centre, YEAR), values={"results_text": "x"}, user=None
    )
    body = client.post(url("yearly_send", centre)).content.decode()
    assert "Hãy nhập số văn bản" in body and "Hãy viết và lưu phần «Hạn chế»" in body
    assert YearlyReport.objects.get().status == ReportStatus.DRAFT


def test_admins_may_send(client, admin_user, year, centre):
    saved_report(centre)
    client.force_login(admin_user)
    client.post(url("yearly_send", centre))
    assert YearlyReport.objects.get().status == ReportStatus.SENT


# --- downloads -------------------------------------------------------------------------------


def test_downloads_are_named_per_design(client, staff, year, centre):
    client.force_login(staff)
    response = client.get(url("yearly_pdf", centre))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="2026_bao-cao-nam_TTA.pdf"' in response["Content-Disposition"]
    response = client.get(url("yearly_xlsx", centre))
    assert 'filename="2026_bao-cao-nam_TTA.xlsx"' in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.getvalue()))
    assert book.sheetnames[0] == "I. Lớp học"


def test_the_all_centres_report_for_the_province(client, province_official, year, centre,
                                                 other_centre):  # fmt: skip
    full_year(other_centre, classes=1)
    builders.make_report_issuer()
    client.force_login(province_official)
    response = client.get(url("yearly_all_pdf"))
    assert 'filename="2026_bao-cao-nam_tong-hop.pdf"' in response["Content-Disposition"]
    text = "\n".join(pdf_pages(response.getvalue()))
    assert centre.name in text and other_centre.name in text and "DỰ THẢO" in text
    response = client.get(url("yearly_all_xlsx"))
    book = load_workbook(BytesIO(response.getvalue()))
    names = [row[1] for row in book["I. Lớp học"].iter_rows(values_only=True)]
    assert centre.name in names and other_centre.name in names and "Tổng cộng" in names


# --- queries ---------------------------------------------------------------------------------


def _count(client, target) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(target)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "name", ["yearly_list", *READS, "yearly_all_detail", "yearly_all_pdf", "yearly_all_xlsx"]
)
def test_query_counts_are_the_same_at_n_and_3n_classes(client, province_official, centre,
                                                       other_centre, name):  # fmt: skip
    builders.make_report_issuer()
    built = Year(centre)
    built.plan()
    other = Year(other_centre)
    for _ in range(2):
        built.closed_class()
        other.closed_class()
    client.force_login(province_official)
    target = url(name, centre)
    client.get(target)  # warm up the session
    small = _count(client, target)
    for _ in range(4):
        built.closed_class()
        other.closed_class()
    built.other_classes()
    assert _count(client, target) == small


def test_query_counts_of_a_sent_report_do_not_depend_on_the_data(client, staff, year, centre):
    yearly.report_send(report=saved_report(centre), user=None)
    client.force_login(staff)
    target = url("yearly_detail", centre)
    client.get(target)
    small = _count(client, target)
    for _ in range(3):
        year.closed_class()
    assert _count(client, target) == small


def test_the_confirmation_says_what_sending_freezes(client, leader_user, year, centre):
    saved_report(centre)
    client.force_login(leader_user)
    body = client.get(url("yearly_send", centre)).content.decode()
    assert "Không làm lại được" in body
    for frozen in (
        "Số 12-BC/TTCT",
        "05/12/2026",
        "(Số liệu tính đến ngày 30/11/2026)",
        "I. SỐ LỚP THEO CHƯƠNG TRÌNH VÀ HỆ",
        "4. Bài học kinh nghiệm",
        "Trần Văn Giám",
    ):
        assert frozen in body, frozen


def test_a_placeholder_left_blocks_sending_on_the_page(client, leader_user, year, centre):
    yearly.report_save(
        report=saved_report(centre), values={"causes_text": "[Nêu nguyên nhân]"}, user=None
    )
    client.force_login(leader_user)
    body = client.post(url("yearly_send", centre)).content.decode()
    assert "Phần «Nguyên nhân» còn chỗ để trống trong ngoặc vuông" in body
    assert YearlyReport.objects.get().status == "draft"
