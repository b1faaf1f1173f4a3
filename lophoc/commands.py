"""Finding the class a command names with --course CODE [--centre CODE] (DESIGN §9)."""

from lophoc.models import Course
from trungtam.commands import BadData


def find_course(code: str, centre_code: str | None = None) -> Course:
    """The class with this code; an unknown or ambiguous code is bad data (exit 1)."""
    courses = Course.objects.filter(code=code).select_related("centre", "program")
    if centre_code:
        courses = courses.filter(centre__code=centre_code)
    found = list(courses[:10])
    if not found:
        where = f' ở trung tâm "{centre_code}"' if centre_code else ""
        raise BadData(f'Không có lớp mã "{code}"{where}.')
    if len(found) > 1:
        centres = ", ".join(f"{c.centre.code} ({c.centre.name})" for c in found)
        raise BadData(
            f'Mã lớp "{code}" có ở nhiều trung tâm: {centres}. Hãy chỉ rõ --centre MÃ_TRUNG_TÂM.'
        )
    return found[0]
