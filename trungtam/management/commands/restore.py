"""manage.py restore ARCHIVE: a backup back into an empty database (trungtam.backup)."""

import datetime

from django.utils import timezone

from trungtam.backup import BackupRefused, backup_restore
from trungtam.commands import BadData, ContractCommand, WrongUsage
from trungtam.documents.numbers import format_number


def _when(iso: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"


class Command(ContractCommand):
    help = (
        "Khôi phục một tệp sao lưu do «manage.py backup» tạo ra vào cơ sở dữ liệu TRỐNG: tạo cơ "
        "sở dữ liệu mới, chạy «manage.py migrate» bằng đúng phiên bản phần mềm đã sao lưu, rồi "
        "chạy lệnh này. Mọi dòng được ghi trong một giao dịch, rồi đối chiếu số dòng từng bảng "
        "và tổng kiểm tra của học viên, kết quả, điểm, giấy chứng nhận với bản sao lưu; có sai "
        "lệch thì không ghi gì. Cơ sở dữ liệu đã có dữ liệu thì lệnh từ chối, không ghi gì. Mã "
        "thoát: 0 thành công, 1 bản sao lưu hỏng hoặc cơ sở dữ liệu không trống hay khác phiên "
        "bản (không ghi gì), 2 dùng lệnh sai."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", metavar="TỆP_SAO_LƯU", help="Tệp .tar.gz do «manage.py backup» tạo ra"
        )

    def handle(self, *args, archive, **options):
        verbose = options["verbosity"] >= 2

        def progress(label, rows):
            if verbose:
                self.stdout.write(f"{label}: {format_number(rows)} dòng")

        try:
            summary = backup_restore(archive, progress=progress)
        except FileNotFoundError:
            raise WrongUsage(f"Không tìm thấy tệp «{archive}».") from None
        except BackupRefused as refused:
            raise BadData(*refused.lines) from None
        self.stdout.write(
            f"Đã khôi phục {format_number(summary.rows)} dòng của "
            f"{format_number(summary.tables)} bảng và {format_number(summary.media_files)} tệp "
            f"tải lên, từ bản sao lưu tạo lúc {_when(summary.created_at)} "
            f"(cơ sở dữ liệu {summary.database})."
        )
