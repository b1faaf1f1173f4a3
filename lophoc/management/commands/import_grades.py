"""manage.py import_grades FILE --course CODE: a filled grade sheet into a class (DESIGN §9)."""

from pathlib import Path

from lophoc.commands import add_course_arguments, find_course, require_command_user
from lophoc.grade_sheet import (
    FRESH_SHEET,
    KEEP,
    MAX_FILE_BYTES,
    TAKE,
    GradeSheetChoiceNeeded,
    GradeSheetConflict,
    GradeSheetRefused,
    GradeSheetUnreadable,
    grade_sheet_apply,
    read_grade_sheet,
)
from lophoc.models import Course
from trungtam.commands import (
    BadData,
    ContractCommand,
    WrongUsage,
    add_user_argument,
    command_user,
)
from trungtam.scoping import Right

COMMAND = "import_grades"


class Command(ContractCommand):
    help = (
        "Nhập điểm từ bảng điểm (file .xlsx tải từ phần mềm, đã nhập điểm bằng Excel) vào một "
        "lớp, không qua bước xem trước. Chỉ các ô đã sửa trong bảng điểm (khác điểm lúc tải về) "
        "được ghi, ô xóa trống thì điểm đang lưu bị xóa; ô để nguyên giữ điểm đang lưu. In ra "
        "từng ô điểm đã thay đổi (điểm cũ → điểm mới). Bảng điểm của lớp khác, thêm hoặc bớt "
        "dòng, sửa họ tên, thiếu cột hay có ô nhập sai thì không ghi gì cả: mỗi lỗi in ra một "
        "dòng (stderr). Ô đã sửa trong bảng điểm mà người khác cũng đã sửa trên phần mềm sau khi "
        "tải là xung đột: không ghi gì, in từng ô (điểm lúc tải, điểm đang lưu, điểm bảng điểm), "
        "trừ khi chọn --on-conflict. Với --user là giảng viên, chỉ được sửa các bài giảng viên "
        "đó được giao chấm. Mã thoát: 0 thành công, 1 dữ liệu sai hoặc xung đột (không ghi gì), "
        "2 dùng lệnh sai."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="File bảng điểm (.xlsx) đã nhập điểm")
        add_course_arguments(parser)
        add_user_argument(
            parser,
            COMMAND,
            "Người nhập điểm, ghi vào lịch sử thay đổi; quyền của người này được áp dụng",
            ", được sửa mọi bài",
        )
        parser.add_argument(
            "--on-conflict",
            choices=[KEEP, TAKE],
            help=f"Với mọi ô xung đột: {KEEP} giữ điểm đang lưu (của người đã sửa sau khi tải), "
            f"{TAKE} ghi điểm trong bảng điểm. Mặc định: không ghi gì khi có xung đột.",
        )

    def handle(self, *args, file, course, centre, user, on_conflict=None, **options):
        path = Path(file)
        if not path.is_file():
            raise WrongUsage(f"Không tìm thấy file «{file}».")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BadData(
                f"File quá lớn; bảng điểm chỉ nhận file đến {MAX_FILE_BYTES // 1024 // 1024} MB."
            )
        actor = command_user(user, COMMAND)
        found = find_course(course, centre)
        editor = None
        if user:
            editor = actor
            require_command_user(actor, found, Right.GRADES, "nhập điểm")
        try:
            sheet = read_grade_sheet(path.read_bytes(), path.name)
            plan = grade_sheet_apply(
                course=found, sheet=sheet, user=actor, editor=editor, choice_for_all=on_conflict
            )
        except GradeSheetUnreadable as error:
            raise BadData(str(error)) from None
        except GradeSheetRefused as refused:
            raise BadData(*refused.lines, *self._closing(refused.plan, found)) from None
        except GradeSheetChoiceNeeded as needed:
            raise BadData(
                *needed.lines,
                f"Không ghi gì vào lớp {found.code}: {len(needed.unresolved)} ô điểm trên đã được "
                "sửa trên phần mềm sau khi tải bảng điểm. Hãy tải bảng điểm mới, hoặc chạy lại với "
                f"--on-conflict {KEEP} (giữ điểm đang lưu) hay --on-conflict {TAKE} (ghi điểm "
                "trong bảng điểm).",
            ) from None
        except GradeSheetConflict as conflict:
            raise BadData(
                *conflict.lines, f"Không ghi gì vào lớp {found.code}: hãy chạy lại."
            ) from None
        for change in plan.changes:
            self.stdout.write(str(change))
        for kept in plan.kept:
            self.stdout.write(f"{kept.conflict_line} → giữ điểm đang lưu")
        self.stdout.write(plan.summary())

    def _closing(self, plan, course: Course) -> list[str]:
        if plan.needs_fresh_sheet:
            return [f"Không ghi gì vào lớp {course.code}.", FRESH_SHEET]
        if plan.problems or plan.changes:
            return [
                f"Không ghi gì vào lớp {course.code}: hãy sửa {len(plan.lines)} lỗi trên trong "
                "bảng điểm rồi chạy lại."
            ]
        return [f"Không ghi gì vào lớp {course.code}."]
