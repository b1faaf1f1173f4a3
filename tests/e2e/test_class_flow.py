"""Issue 3 in Chromium: a staff member runs a class from opening to its first documents.

Opens a class from a program, bulk-creates its timetable, imports the units' nominee list, starts
the class, marks one session's attendance and downloads the enrolment list PDF (DESIGN §5, §6, §9).
"""

import datetime
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from hocvien.models import Gender, Trainee
from lophoc.catalogue import install_standard_programs
from lophoc.models import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseStatus,
    Program,
    Session,
    SessionPart,
    Venue,
)
from tests import builders
from trungtam.models import Holiday, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-2026"

# (name, date of birth, gender, national ID cell, position, unit, party member), in file order.
# Row 4's ID is a number that lost its leading 0 (11 digits); row 6 matches an existing trainee.
NOMINEES = [
    ("Trần Thị Hoa", datetime.date(1995, 4, 12), "Nữ", "079195001201", "Bí thư Chi đoàn", "x"),
    ("Nguyễn Văn Đức", "03/09/1988", "Nam", "079088001202", "Trưởng ấp", ""),
    ("Lê Thị Ánh", datetime.date(1999, 12, 30), "Nữ", "079199001203", "Chi hội trưởng", ""),
    ("Phạm Văn Dũng", "17/05/1990", "Nam", 79090001204, "Công an viên", "x"),
    ("Nguyễn Thị Bình", datetime.date(1993, 1, 5), "Nữ", "079193001205", "Cán bộ văn phòng", ""),
    ("Võ Minh Châu", "21/08/1985", "Nam", "079085001206", "Phó Bí thư Chi bộ", "có"),
]
UNITS = ["Xã Phú Lợi", "Phường Hiệp Thành", "Xã Phú Lợi", "Xã An Tây", "Phường Hiệp Thành", ""]
# Vietnamese order: by given name, then the rest ("Dũng" before "Đức").
EXPECTED_ORDER = [
    "Lê Thị Ánh",
    "Nguyễn Thị Bình",
    "Võ Minh Châu",
    "Phạm Văn Dũng",
    "Nguyễn Văn Đức",
    "Trần Thị Hoa",
]
ABSENT = "Nguyễn Văn Đức"


def _last_weeks_monday(today: datetime.date) -> datetime.date:
    """The class ran last week: its first session has taken place, so its attendance is taken
    (never for a session still to come)."""
    return today - datetime.timedelta(days=today.weekday() + 7)


def _nominee_file(folder) -> str:
    """The list a unit sends: title rows, then the header row and one row per nominee."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet["A1"] = "DANH SÁCH HỌC VIÊN CỬ ĐI HỌC LỚP BỒI DƯỠNG NHẬN THỨC VỀ ĐẢNG"
    sheet["A2"] = "(Kèm theo Công văn số 15/CV-ĐU ngày 02/11/2026)"
    headers = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Chức vụ",
        "Đơn vị",
        "Đảng viên",
    ]
    sheet.append([])
    sheet.append(headers)
    for number, ((name, born, gender, national_id, position, party), unit) in enumerate(
        zip(NOMINEES, UNITS, strict=True), start=1
    ):
        sheet.append([number, name, born, gender, national_id, position, unit, party])
        if isinstance(born, datetime.date):
            sheet.cell(row=sheet.max_row, column=3).number_format = "dd/mm/yyyy"
    path = folder / "danh-sach-cu-di-hoc.xlsx"
    workbook.save(path)
    return str(path)


def _watch_console(page) -> list[str]:
    """Console errors and uncaught exceptions; the browser's own favicon probe is not the app's."""
    problems: list[str] = []

    def console(msg):
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"{msg.text} ({msg.location.get('url', '')})")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


def test_staff_runs_a_class_from_opening_to_the_enrolment_list(
    live_server, page, artifacts, tmp_path
):
    centre = builders.make_centre(name="Trung tâm Chính trị phường Phú Lợi")
    install_standard_programs(centre=centre)
    builders.make_user(
        role=Role.STAFF,
        centre=centre,
        username="canbo",
        full_name="Lê Thị Giáo Vụ",
        password=PASSWORD,
    )
    builders.make_unit(centre, name="Xã Phú Lợi")
    builders.make_unit(centre, name="Phường Hiệp Thành", kind="ward")
    lecturer = builders.make_lecturer(centre, full_name="Nguyễn Văn Giảng")
    builders.make_lecturer(centre, full_name="Trần Thị Thỉnh Giảng")
    known = builders.make_trainee(
        centre,
        full_name="Võ Minh Châu",
        date_of_birth=datetime.date(1985, 8, 21),
        gender=Gender.MALE,
        national_id="079085001206",
    )
    monday = _last_weeks_monday(datetime.date.today())
    saturday = monday + datetime.timedelta(days=5)
    holiday = monday + datetime.timedelta(days=2)
    Holiday.objects.create(centre=centre, date=holiday, name="Ngày nghỉ bù")
    Venue.objects.create(centre=centre, name="Hội trường Trung tâm")  # the centre's venue list

    console = _watch_console(page)
    url = live_server.url

    # --- log in ------------------------------------------------------------------------------
    page.goto(f"{url}/lop/")
    assert "/dang-nhap/" in page.url
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/lop/$"))

    # --- open a class from a program -----------------------------------------------------------
    page.get_by_role("link", name="Mở lớp mới").first.click()
    expect(page.get_by_role("heading", name="Mở lớp mới")).to_be_visible()
    program = Program.objects.get(centre=centre, code="KND")
    page.get_by_label("Chương trình").select_option(label=f"KND – {program.name}")
    page.get_by_label("Ngày khai giảng").fill(monday.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Tiếp tục").click()
    code = f"KND-01/{monday.year}"
    expect(page.get_by_label("Mã lớp")).to_have_value(code)
    expect(page.get_by_label("Ngày bế giảng")).to_have_value(
        (monday + datetime.timedelta(days=4)).strftime("%d/%m/%Y")
    )
    page.get_by_label("Ngày bế giảng").fill(saturday.strftime("%d/%m/%Y"))
    page.get_by_label("Sĩ số tối đa").fill("40")
    page.get_by_label("Địa điểm").select_option(label="Hội trường Trung tâm")
    page.screenshot(path=str(artifacts / "class-flow-1-open.png"), full_page=True)
    page.get_by_role("button", name="Mở lớp", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text=f"Đã mở lớp {code}")).to_be_visible()
    course = Course.objects.get(centre=centre, code=code)
    assert course.status == CourseStatus.PLANNED
    assert course.topics.count() == 5
    assert page.url.endswith(f"/lop/{course.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)

    # --- bulk timetable: preview, then confirm -----------------------------------------------
    page.get_by_role("link", name="Lập thời khóa biểu từ chuyên đề").click()
    expect(page.get_by_role("heading", name="Lập thời khóa biểu")).to_be_visible()
    page.get_by_label("Giảng viên").select_option(label=str(lecturer))
    page.get_by_label("Phòng học").fill("Hội trường A")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.get_by_role("heading", name="Xem trước")).to_be_visible()
    planned = page.locator("#buoi-se-tao tbody tr")
    # 36 periods of topics, 4 a session: 9 half-days of Mon, Tue, Thu, Fri, Sat.
    expect(planned).to_have_count(9)
    expect(page.locator("#ngay-bo-qua")).to_contain_text(holiday.strftime("%d/%m/%Y"))
    expect(page.locator("#ngay-bo-qua")).to_contain_text("Ngày nghỉ bù")
    assert holiday.strftime("%d/%m/%Y") not in page.locator("#buoi-se-tao").inner_text()
    page.screenshot(path=str(artifacts / "class-flow-2-timetable-preview.png"), full_page=True)
    assert Session.objects.filter(course=course).count() == 0  # nothing written by a preview
    page.get_by_role("button", name="Tạo 9 buổi học").click()
    expect(page.get_by_role("alert").filter(has_text="Đã tạo 9 buổi học (36 tiết)")).to_be_visible()
    timetable = page.locator("#thoi-khoa-bieu")
    expect(timetable.locator("tbody tr")).to_have_count(9)
    expect(page.locator("#tkb-tieu-de")).to_contain_text("9 buổi")
    expect(timetable.locator("tbody tr").first).to_contain_text(monday.strftime("%d/%m/%Y"))
    expect(timetable.locator("tbody tr").first).to_contain_text("Nguyễn Văn Giảng")
    expect(timetable.locator("tbody tr").first).to_contain_text("Hội trường A")
    assert not Session.objects.filter(course=course, date=holiday).exists()
    page.locator("#thoi-khoa-bieu").screenshot(
        path=str(artifacts / "class-flow-3-timetable-on-class-page.png")
    )

    # --- nominee import: upload, preview, confirm --------------------------------------------
    page.get_by_role("link", name="Nhập danh sách từ Excel").click()
    expect(page.get_by_role("heading", name="Nhập danh sách học viên từ Excel")).to_be_visible()
    page.get_by_label("File danh sách học viên").set_input_files(_nominee_file(tmp_path))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("danh-sach-cu-di-hoc.xlsx")
    assert not page.get_by_test_id("problems").count(), page.get_by_test_id("problems").inner_text()
    expect(page.locator("[data-total=rows]")).to_have_text("6")
    expect(page.locator("[data-total=new]")).to_have_text("5")
    expect(page.locator("[data-total=matched]")).to_have_text("1")
    expect(page.locator("[data-total=new_units]")).to_have_text("1")
    expect(page.get_by_test_id("new-units")).to_contain_text("Xã An Tây")
    rows = page.get_by_test_id("rows").locator("tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.filter(has_text="Võ Minh Châu")).to_contain_text("đã có (khớp CCCD)")
    expect(rows.filter(has_text="Phạm Văn Dũng")).to_contain_text("17/05/1990")
    page.screenshot(path=str(artifacts / "class-flow-4-import-preview.png"), full_page=True)
    assert course.enrolments.count() == 0  # nothing written by a preview
    page.get_by_role("button", name="Xác nhận ghi danh 6 học viên").click()
    page.wait_for_url(re.compile(rf"/lop/{course.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("6")

    trainees = page.locator("#hoc-vien tbody tr")
    expect(trainees).to_have_count(6)
    names = [row.locator("td").nth(1).inner_text().strip() for row in trainees.all()]
    assert names == EXPECTED_ORDER
    expect(page.locator("[data-figure=enrolled]")).to_contain_text("6 đang học / tối đa 40")
    padded = Trainee.objects.get(centre=centre, full_name="Phạm Văn Dũng")
    assert padded.national_id == "079090001204"
    assert padded.is_party_member
    assert Trainee.objects.filter(centre=centre, full_name="Võ Minh Châu").get() == known
    page.locator("#hoc-vien").screenshot(path=str(artifacts / "class-flow-5-trainees.png"))

    # --- the class starts: enrolling, then in progress ---------------------------------------
    page.get_by_role("button", name="Bắt đầu chiêu sinh").click()
    expect(page.get_by_role("alert").filter(has_text="sang «Đang chiêu sinh»")).to_be_visible()
    page.get_by_role("button", name="Bắt đầu học").click()
    expect(page.get_by_role("alert").filter(has_text="sang «Đang học»")).to_be_visible()
    course.refresh_from_db()
    assert course.status == CourseStatus.IN_PROGRESS

    # --- attendance of the first session: one trainee absent with permission ------------------
    first_day = monday.strftime("%d/%m/%Y")
    first = page.locator("#thoi-khoa-bieu tbody tr").filter(has_text=first_day)
    first.filter(has_text="Sáng").get_by_role("link", name="Điểm danh").click()
    expect(page.get_by_role("heading", name="Điểm danh")).to_be_visible()
    expect(page.get_by_text(f"{first_day}, buổi sáng")).to_be_visible()
    grid_names = page.locator("table.attendance-grid tbody th").all_inner_texts()
    assert [text.splitlines()[0].strip() for text in grid_names] == EXPECTED_ORDER
    choice = page.get_by_role("radiogroup", name=f"Điểm danh {ABSENT}")
    choice.get_by_text("Vắng có phép").click()
    expect(choice.get_by_role("radio", name="Vắng có phép")).to_be_checked()
    page.get_by_label(f"Ghi chú {ABSENT}").fill("Họp đột xuất ở ấp")
    page.screenshot(path=str(artifacts / "class-flow-6-attendance.png"), full_page=True)
    page.get_by_role("button", name="Lưu điểm danh").first.click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu điểm danh")).to_be_visible()
    expect(page.locator("#tong-hop")).to_contain_text("vắng có phép 1")
    session = Session.objects.get(course=course, date=monday, part=SessionPart.MORNING)
    records = Attendance.objects.filter(session=session)
    assert records.count() == 6
    absent = records.exclude(status=AttendanceStatus.PRESENT).get()
    assert absent.status == AttendanceStatus.EXCUSED
    assert absent.enrolment.trainee.full_name == ABSENT

    page.get_by_role("link", name="Quay lại lớp").click()
    page.wait_for_url(re.compile(rf"/lop/{course.pk}/$"))
    row = page.locator("#hoc-vien tbody tr").filter(has_text=ABSENT)
    expect(row.locator("td").nth(6)).to_have_text(re.compile(r"^\s*4/36\s*$"))
    for other in EXPECTED_ORDER:
        if other != ABSENT:
            expect(
                page.locator("#hoc-vien tbody tr").filter(has_text=other).locator("td").nth(6)
            ).to_have_text(re.compile(r"^\s*0/36\s*$"))
    page.locator("#hoc-vien").screenshot(path=str(artifacts / "class-flow-7-absence.png"))

    # --- the enrolment list PDF --------------------------------------------------------------
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF danh sách học viên").click()
    download = download_info.value
    assert download.suggested_filename == f"KND-01-{monday.year}_danh-sach-hoc-vien.pdf"
    pdf_path = artifacts / "class-flow-danh-sach-hoc-vien.pdf"
    download.save_as(pdf_path)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert code in text
    assert "DANH SÁCH HỌC VIÊN" in text
    assert "Lê Thị Ánh" in text and "Nguyễn Văn Đức" in text
    assert "079090001204" not in text  # the national ID is never printed
    page.screenshot(path=str(artifacts / "class-flow-8-class-page.png"), full_page=True)

    assert not [m for m in console if "Content Security Policy" in m], console
    assert not console, console

    # The class page lists a day's sessions as they happen: morning, then afternoon.
    parts = [
        row.locator("td").nth(1).inner_text().split("\n")[0].strip()
        for row in page.locator("#thoi-khoa-bieu tbody tr").all()
    ]
    assert parts == ["Sáng", "Chiều"] * 4 + ["Sáng"], parts
