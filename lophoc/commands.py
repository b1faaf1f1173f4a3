"""Finding the class a command names with --course CODE [--centre CODE] (DESIGN §9), and the
same rights as on the web for the person a command acts as (--user)."""

from lophoc.models import Course
from trungtam.commands import BadData
from trungtam.models import User
from trungtam.scoping import Right, has_right, visible


def add_course_arguments(parser) -> None:
    """--course MÃ_LỚP [--centre MÃ_TRUNG_TÂM]: the class, as `find_course` looks it up."""
    parser.add_argument(
        "--course", required=True, metavar="MÃ_LỚP", help="Mã lớp, ví dụ KND-03/2026"
    )
    parser.add_argument(
        "--centre",
        metavar="MÃ_TRUNG_TÂM",
        help="Mã trung tâm; chỉ cần khi hai trung tâm dùng cùng một mã lớp",
    )


def find_course(code: str, centre_code: str | None = None) -> Course:
    """The class with this code; an unknown or ambiguous code is bad data (exit 1)."""
    courses = Course.objects.filter(code=code).select_related("centre", "program")
    if centre_code:
        courses = courses.filter(centre__code=centre_code)
    found = list(courses[:10])
    if not found:
        where = f" ở trung tâm «{centre_code}»" if centre_code else ""
        raise BadData(f"Không có lớp mã «{code}»{where}.")
    if len(found) > 1:
        centres = ", ".join(f"{c.centre.code} ({c.centre.name})" for c in found)
        raise BadData(
            f"Mã lớp «{code}» có ở nhiều trung tâm: {centres}. Hãy chỉ rõ --centre MÃ_TRUNG_TÂM."
        )
    return found[0]


def require_command_user(user: User, course: Course, right: Right, action: str) -> None:
    """With --user, the command may do only what that person may do on the web: the right for
    `action` ("xuất tài liệu", "nhập điểm" …) and the class inside their scope (their centre; for
    a lecturer, a class they teach). Otherwise bad data (exit 1), before anything is written."""
    if not has_right(user, right):
        raise BadData(
            f"Người dùng «{user.username}» không có quyền {action} (tài khoản bị khóa hoặc vai "
            "trò không được làm việc này)."
        )
    if not visible(user, Course.objects.filter(pk=course.pk)).exists():
        raise BadData(
            f"Người dùng «{user.username}» không được {action} lớp {course.code} (lớp của trung "
            "tâm khác, hoặc giảng viên không dạy lớp này)."
        )
