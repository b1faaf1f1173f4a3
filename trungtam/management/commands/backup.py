"""manage.py backup [-o PATH]: every table and the uploaded files in one archive (trungtam.backup)."""

from pathlib import Path

from trungtam.backup import BackupRefused, backup_write, default_filename
from trungtam.commands import BadData, ContractCommand, WrongUsage, add_output_argument
from trungtam.documents.numbers import format_number


class Command(ContractCommand):
    help = (
        "Sao lưu toàn bộ dữ liệu (mọi bảng, kể cả lịch sử thay đổi và nhật ký) và các tệp tải "
        "lên trong MEDIA_ROOT vào một tệp .tar.gz. Dữ liệu được đọc trong một giao dịch nên là "
        "ảnh chụp nhất quán tại một thời điểm, kể cả khi có người đang làm việc. Khôi phục bằng "
        "«manage.py restore TỆP» vào một cơ sở dữ liệu trống. Tệp được ghi qua tệp tạm rồi đổi "
        "tên, nên khi có lỗi không để lại tệp dở dang. Tệp sao lưu chứa dữ liệu cá nhân: hãy cất "
        "giữ như hồ sơ mật. Mã thoát: 0 thành công, 1 cơ sở dữ liệu chưa sẵn sàng, 2 dùng lệnh sai."
    )

    def add_arguments(self, parser):
        add_output_argument(
            parser,
            "Tệp sẽ ghi ra, hoặc một thư mục (mặc định: "
            "sao-luu-trungtam_NĂM-THÁNG-NGÀY_GIỜPHÚTGIÂY.tar.gz trong thư mục hiện tại)",
            required=False,
        )

    def handle(self, *args, output, **options):
        target = Path(output) if output else Path(default_filename())
        if target.is_dir():
            target = target / default_filename()
        if not target.parent.is_dir():
            raise WrongUsage(f"Thư mục «{target.parent}» không tồn tại.")
        verbose = options["verbosity"] >= 2

        def progress(label, rows):
            if verbose:
                self.stdout.write(f"{label}: {format_number(rows)} dòng")

        try:
            summary = backup_write(target, progress=progress)
        except BackupRefused as refused:
            raise BadData(*refused.lines) from None
        megabytes = format_number(summary.size / 1024 / 1024, 1)
        self.stdout.write(
            f"Đã sao lưu {format_number(summary.rows)} dòng của {format_number(summary.tables)} "
            f"bảng và {format_number(summary.media_files)} tệp tải lên ({megabytes} MB)."
        )
        self.stdout.write(str(summary.path))
