"""Sổ cấp giấy chứng nhận: every certificate a centre issued in a year, in number order (DESIGN §6)."""

from lophoc.certificates import status_text
from lophoc.models import Certificate, Classification
from trungtam.documents.numbers import format_score
from trungtam.documents.pdf import build_pdf, content_width, data_table
from trungtam.documents.xlsx import SafeWorkbook
from trungtam.models import Centre

HEADER = [
    "STT",
    "Số GCN",
    "Số vào sổ",
    "Họ và tên",
    "Ngày sinh",
    "Đơn vị",
    "Lớp",
    "Xếp loại",
    "Ngày cấp",
    "Người ký",
    "Tình trạng",
]
PDF_WIDTHS = [4, 10, 8, 14, 8, 14, 14, 7, 8, 12, 12]
XLSX_WIDTHS = [6, 18, 12, 26, 12, 28, 28, 11, 12, 24, 28]


def register_certificates(centre: Centre, year: int) -> list[Certificate]:
    """One query: the year's certificates with what their status line needs."""
    return list(
        Certificate.objects.filter(centre=centre, year=year)
        .select_related("replaced_by")
        .order_by("sequence", "id")
    )


def _row(index: int, certificate: Certificate) -> list:
    classification = (
        Classification(certificate.classification).label if certificate.classification else ""
    )
    signer = " ".join(certificate.signer_title.split()) + " " + certificate.signer_name
    return [
        index,
        certificate.number,
        certificate.register_number,
        certificate.full_name,
        f"{certificate.date_of_birth:%d/%m/%Y}",
        certificate.unit_name,
        f"{certificate.course_code} – {certificate.course_name}",
        classification
        + (f" ({format_score(certificate.final_score)})" if certificate.final_score else ""),
        f"{certificate.issued_on:%d/%m/%Y}",
        signer.strip(),
        status_text(certificate),
    ]


def certificate_register_pdf(centre: Centre, year: int, certificates: list[Certificate]) -> bytes:
    rows = [HEADER, *(_row(i, c) for i, c in enumerate(certificates, start=1))]
    table = data_table(
        rows, widths=PDF_WIDTHS, total_width=content_width(landscape=True), font_size=9
    )
    return build_pdf(
        centre=centre,
        title="SỔ CẤP GIẤY CHỨNG NHẬN",
        subtitle=f"Năm {year} · {len(certificates)} giấy chứng nhận",
        body=[table],
        landscape=True,
    )


def certificate_register_xlsx(centre: Centre, year: int, certificates: list[Certificate]) -> bytes:
    book = SafeWorkbook()
    sheet = book.sheet(f"Sổ cấp GCN {year}")
    sheet.title_row(1, centre.name.upper(), len(HEADER))
    sheet.title_row(2, f"SỔ CẤP GIẤY CHỨNG NHẬN NĂM {year}", len(HEADER))
    for column, title in enumerate(HEADER, start=1):
        sheet.write(4, column, title, bold=True, border=True)
    for index, certificate in enumerate(certificates, start=1):
        for column, value in enumerate(_row(index, certificate), start=1):
            sheet.write(4 + index, column, value, border=True)
    sheet.widths(XLSX_WIDTHS)
    sheet.worksheet.freeze_panes = "A5"
    return book.to_bytes()
