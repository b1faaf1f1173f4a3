"""manage.py import_trainees FILE --course CODE: a nominee list into a class, no preview (DESIGN §9)."""

from pathlib import Path

from lophoc.commands import add_course_arguments, find_course, require_command_user
from lophoc.nominee_import import (
    MAX_FILE_BYTES,
    ImportRefused,
    nominee_import_apply,
    parse_nominee_file,
)
from trungtam.commands import (
    BadData,
    ContractCommand,
    WrongUsage,
    add_user_argument,
    command_user,
)
from trungtam.scoping import Right

COMMAND = "import_trainees"


class Command(ContractCommand):
    help = (
        "Nhập danh sách học viên do đơn vị gửi (file .xlsx hoặc .xls theo mẫu) vào một lớp, "
        "không qua bước xem trước. Học viên đã có được nhận ra theo số CCCD (không dùng họ tên và "
        "ngày sinh); người chưa có được tạo mới; đơn vị chưa có được tạo mới và liệt kê trong kết "
        "quả. File có bất kỳ dòng sai nào thì không ghi gì cả: mỗi lỗi in ra một dòng (stderr), "
        "ghi rõ dòng, cột và giá trị. Mã thoát: 0 thành công, 1 dữ liệu sai (không ghi gì), "
        "2 dùng lệnh sai."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", metavar="FILE", help="File danh sách học viên (.xlsx hoặc .xls, theo mẫu)"
        )
        add_course_arguments(parser)
        add_user_argument(parser, COMMAND, "Người thực hiện, ghi vào lịch sử thay đổi")

    def handle(self, *args, file, course, centre, user, **options):
        path = Path(file)
        if not path.is_file():
            raise WrongUsage(f"Không tìm thấy file «{file}».")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BadData(
                f"File quá lớn; chỉ nhận file đến {MAX_FILE_BYTES // 1024 // 1024} MB. "
                "Hãy chia danh sách thành nhiều file."
            )
        actor = command_user(user, COMMAND)
        found = find_course(course, centre)
        if user:
            require_command_user(actor, found, Right.IMPORT_EXPORT, "nhập danh sách học viên vào")
        parsed = parse_nominee_file(path.read_bytes(), path.name)
        try:
            result = nominee_import_apply(course=found, parsed=parsed, user=actor, propose=False)
        except ImportRefused as refused:
            raise BadData(
                *refused.lines,
                f"Không ghi gì vào lớp {found.code}: hãy sửa {len(refused.problems)} lỗi trên "
                "trong file rồi chạy lại.",
            ) from None
        self.stdout.write(result.summary)
        if result.new_units:
            self.stdout.write(f"Đơn vị mới đã tạo ({len(result.new_units)}):")
            for name in result.new_units:
                self.stdout.write(f"- {name}")
        for note in result.plan.notes:
            self.stdout.write(f"Lưu ý: {note}")
