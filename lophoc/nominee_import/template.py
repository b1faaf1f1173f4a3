"""The blank nominee list units fill in: the exact format the import reads (DESIGN §9)."""

import datetime

from openpyxl.styles import Font

from lophoc.nominee_import.parsing import COLUMNS, HEADER_SEARCH_ROWS, MAX_ROWS
from trungtam.documents.xlsx import SafeWorkbook

TEMPLATE_FILENAME = "mau-danh-sach-hoc-vien.xlsx"
HEADER_ROW = 5
FILLABLE_ROWS = 300  # rows formatted in advance so typed IDs and phones keep their leading 0
WIDTHS = [8, 28, 13, 10, 10, 16, 24, 30, 11, 14]
EXAMPLE = [
    "Ví dụ",
    "Nguyễn Văn An",
    datetime.date(1990, 5, 17),
    "Nam",
    "Kinh",
    "001090012345",
    "Bí thư Chi đoàn",
    "Xã Phú Lợi",
    "x",
    "0912345678",
]
TEXT_COLUMNS = ("national_id", "phone")
EXAMPLE_FONT = Font(name="Times New Roman", italic=True, color="808080")


def nominee_template_xlsx() -> bytes:
    workbook = SafeWorkbook()
    sheet = workbook.sheet("Danh sách")
    columns = len(COLUMNS)
    sheet.title_row(1, "DANH SÁCH HỌC VIÊN CỬ ĐI HỌC", columns)
    sheet.title_row(2, "Lớp: ……………………………………………………", columns, bold=False)
    sheet.title_row(3, "Đơn vị cử: ……………………………………………", columns, bold=False)
    for index, column in enumerate(COLUMNS, start=1):
        label = f"{column.label} *" if column.required else column.label
        sheet.write(HEADER_ROW, index, label, bold=True, border=True)
    worksheet = sheet.worksheet
    for index, value in enumerate(EXAMPLE, start=1):
        cell = sheet.write(HEADER_ROW + 1, index, value, border=True)
        cell.font = EXAMPLE_FONT
    for index, column in enumerate(COLUMNS, start=1):
        for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + FILLABLE_ROWS):
            cell = worksheet.cell(row=row, column=index)
            if column.field in TEXT_COLUMNS:
                cell.number_format = "@"
            elif column.field == "date_of_birth":
                cell.number_format = "dd/mm/yyyy"
    sheet.widths(WIDTHS)
    worksheet.freeze_panes = worksheet.cell(row=HEADER_ROW + 1, column=1)

    guide = workbook.sheet("Hướng dẫn")
    lines = [
        "HƯỚNG DẪN GHI DANH SÁCH HỌC VIÊN",
        "",
        "• Chỉ trang tính đầu tiên («Danh sách») được đọc. Giữ nguyên dòng tiêu đề; "
        f"dòng tiêu đề phải nằm trong {HEADER_SEARCH_ROWS} dòng đầu.",
        "• Mỗi học viên một dòng, ngay dưới dòng tiêu đề. Dòng «Ví dụ» được bỏ qua khi nhập; "
        "có thể xóa hoặc ghi đè.",
        "• Cột có dấu * là bắt buộc: Họ và tên, Ngày sinh, Giới tính.",
        "• Họ và tên: gõ bằng Unicode (Unikey: bảng mã Unicode), không dùng phông .VnTime hay "
        "VNI-Times.",
        "• Ngày sinh: ngày/tháng/năm, ví dụ 17/05/1990.",
        "• Giới tính: Nam hoặc Nữ.",
        "• Số CCCD: đủ 12 chữ số (số định danh cá nhân); để trống nếu chưa có.",
        "• Đảng viên: ghi x nếu là đảng viên, để trống nếu không.",
        "• Đơn vị: tên đơn vị cử đi học, ví dụ «Xã Phú Lợi»; đơn vị chưa có sẽ được tạo mới "
        "sau khi cán bộ trung tâm xác nhận.",
        f"• Tối đa {MAX_ROWS} học viên trong một file. Có thể thêm cột khác (Ghi chú…), "
        "hệ thống bỏ qua.",
    ]
    for number, line in enumerate(lines, start=1):
        guide.write(number, 1, line, bold=number == 1)
    guide.widths([110])
    return workbook.to_bytes()
