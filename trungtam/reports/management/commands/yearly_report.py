"""manage.py yearly_report: the yearly report of one centre, or of every centre (DESIGN §9)."""

import argparse

from trungtam.commands import (
    BadData,
    ContractCommand,
    WrongUsage,
    add_format_argument,
    add_output_argument,
    atomic_write,
)
from trungtam.models import Centre
from trungtam.reports import yearly, yearly_all, yearly_signing
from trungtam.reports.yearly_documents import build, is_draft
from trungtam.signing import SigningRefused, signing_status

FORMATS = ("pdf", "xlsx")


def year_argument(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"«{text}» không phải một năm; hãy ghi năm bằng số, ví dụ 2026"
        ) from None


class Command(ContractCommand):
    help = (
        "Xuất báo cáo kết quả công tác đào tạo, bồi dưỡng của một năm ra tệp PDF (để in) hoặc "
        "XLSX (mỗi biểu I–V một trang tính). Với --centre: báo cáo của trung tâm đó (báo cáo đã "
        "gửi được in lại đúng như lần gửi; báo cáo chưa gửi in chữ «DỰ THẢO»). Không có "
        "--centre: nếu hệ thống chỉ có một trung tâm thì in báo cáo của trung tâm đó, nếu có "
        "nhiều trung tâm thì in báo cáo tổng hợp, mỗi trung tâm một dòng và dòng tổng cộng, do cơ "
        "quan cấp tỉnh khai báo trong trang quản trị (Cơ quan ban hành báo cáo tổng hợp) ban "
        "hành; báo cáo tổng hợp đã gửi được in lại đúng như lần gửi. Tệp được ghi qua tệp tạm "
        "rồi đổi tên, nên khi có lỗi không để lại tệp dở dang. Với --sign: tệp PDF ký số (bản "
        "đã ký được lưu, lần sau ghi ra đúng bản đó); chỉ ký báo cáo đã gửi. Mã thoát: 0 thành "
        "công, 1 dữ liệu sai (không có trung tâm, chưa khai báo cơ quan ban hành, báo cáo chưa "
        "gửi hoặc chưa ký số được với --sign), 2 dùng lệnh sai."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "year", type=year_argument, metavar="NĂM", help="Năm báo cáo, ví dụ 2026"
        )
        parser.add_argument(
            "--centre",
            metavar="MÃ_TRUNG_TÂM",
            help="Mã trung tâm; bỏ trống để in báo cáo tổng hợp mọi trung tâm",
        )
        add_format_argument(parser, FORMATS)
        add_output_argument(parser)
        parser.add_argument(
            "--sign",
            action="store_true",
            help="Ghi tệp PDF đã ký số bằng chứng thư số cấu hình trong biến môi trường "
            "(SIGNING_PKCS12_* hoặc SIGNING_PKCS11_*): bản ký đã lưu của báo cáo, nếu chưa có "
            "thì ký và lưu. Chỉ báo cáo đã đánh dấu gửi; chỉ định dạng PDF",
        )

    def handle(self, *args, year, centre, format, output, sign=False, **options):
        if not yearly.valid_year(year):
            raise WrongUsage(
                f"Năm {year} không hợp lệ: hãy ghi năm từ {yearly.MIN_YEAR} đến {yearly.MAX_YEAR}."
            )
        if sign and format != "pdf":
            raise WrongUsage("--sign chỉ dùng với định dạng PDF; tệp XLSX không ký số.")
        if centre:
            found = Centre.objects.filter(code=centre).first()
            if found is None:
                raise BadData(f"Không có trung tâm mã «{centre}».")
            report = yearly.report_for(found, year)
            content = yearly.report_content(report)
        else:
            centres = yearly.report_centres(Centre.objects.all(), year)
            if not centres:
                raise BadData("Chưa có trung tâm nào trên hệ thống.")
            if len(centres) == 1:
                report = yearly.report_for(centres[0], year)
                content = yearly.report_content(report)
            else:
                report = yearly_all.all_report_for(year)
                try:
                    content = yearly_all.all_centres_content(centres, year, report=report)
                except yearly_all.NoIssuer as refused:
                    raise BadData(refused.message) from None
        if sign:
            data = self.signed(report, content)
        else:
            data = build(content, format).content
        path = atomic_write(output, data)
        self.stdout.write(str(path))

    def signed(self, report, content: dict) -> bytes:
        """The report's signed PDF: its kept copy, else signed now and kept (sent reports)."""
        if is_draft(content):
            raise BadData(
                f"Báo cáo năm {content['year']} chưa được đánh dấu đã gửi: bản dự thảo không "
                "được ký số. Hãy đánh dấu đã gửi trên trang báo cáo rồi chạy lại."
            )
        if yearly_signing.kept_copy(report) is None:
            status = signing_status()
            if not status.usable:
                raise BadData(status.message)
        try:
            return yearly_signing.delivered_pdf(report, content)
        except SigningRefused as refused:
            raise BadData(refused.message) from None
