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
from trungtam.reports import yearly, yearly_all
from trungtam.reports.yearly_documents import build

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
        "rồi đổi tên, nên khi có lỗi không để lại tệp dở dang. Mã thoát: 0 thành công, 1 dữ "
        "liệu sai (không có trung tâm, chưa khai báo cơ quan ban hành), 2 dùng lệnh sai."
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

    def handle(self, *args, year, centre, format, output, **options):
        if not yearly.valid_year(year):
            raise WrongUsage(
                f"Năm {year} không hợp lệ: hãy ghi năm từ {yearly.MIN_YEAR} đến {yearly.MAX_YEAR}."
            )
        if centre:
            found = Centre.objects.filter(code=centre).first()
            if found is None:
                raise BadData(f"Không có trung tâm mã «{centre}».")
            content = yearly.report_content(yearly.report_for(found, year))
        else:
            centres = yearly.report_centres(Centre.objects.all(), year)
            if not centres:
                raise BadData("Chưa có trung tâm nào trên hệ thống.")
            if len(centres) == 1:
                content = yearly.report_content(yearly.report_for(centres[0], year))
            else:
                try:
                    content = yearly_all.all_centres_content(centres, year)
                except yearly_all.NoIssuer as refused:
                    raise BadData(refused.message) from None
        path = atomic_write(output, build(content, format).content)
        self.stdout.write(str(path))
