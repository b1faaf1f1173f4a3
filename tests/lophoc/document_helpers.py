"""The class every document test prints: seven trainees with Vietnamese names, one withdrawn."""

import datetime

from hocvien.models import Gender, Unit
from lophoc.models import EnrolmentStatus
from tests import builders

DAY = datetime.date(2026, 3, 9)

# (full name, gender, party member) in the order they are created, not the order printed.
PEOPLE = [
    ("Đặng Văn Hữu", Gender.MALE, True),
    ("Nguyễn Thị Mỹ Duyên", Gender.FEMALE, False),
    ("Trần Văn An", Gender.MALE, False),
    ("Lê Thị Huyền Diệu", Gender.FEMALE, True),
    ("@Lê Văn Công", Gender.MALE, False),
    ("Bùi Thị Ánh", Gender.FEMALE, False),
    ("Phạm Đức Đạt", Gender.MALE, True),
]
# Vietnamese order: by given name (An < Ánh < Công < Diệu < Duyên < Đạt < Hữu).
IN_ORDER = [
    "Trần Văn An",
    "Bùi Thị Ánh",
    "@Lê Văn Công",
    "Lê Thị Huyền Diệu",
    "Nguyễn Thị Mỹ Duyên",
    "Phạm Đức Đạt",
    "Đặng Văn Hữu",
]


def make_documents_course(centre, *, people=PEOPLE, withdrawn=True, **overrides):
    """A class with trainees from PEOPLE, one long unit name, and one withdrawn trainee."""
    values = {
        "code": "DVM-03/2026",
        "name": "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới khóa 3",
        "start_date": datetime.date(2026, 3, 2),
        "end_date": datetime.date(2026, 3, 6),
        "venue": "Hội trường A",
    }
    values.update(overrides)
    course = builders.make_course(centre, **values)
    long_unit, _ = Unit.objects.get_or_create(
        centre=centre, name="Ủy ban Mặt trận Tổ quốc Việt Nam phường Phú Lợi, khu phố Hòa Thạnh"
    )
    plain_unit, _ = Unit.objects.get_or_create(centre=centre, name="Chi bộ ấp Bến Tranh")
    for index, (name, gender, party) in enumerate(people):
        trainee = builders.make_trainee(
            centre,
            full_name=name,
            gender=gender,
            is_party_member=party,
            date_of_birth=datetime.date(1990, 1 + index % 12, 5 + index % 20),
            position="Bí thư chi đoàn" if index % 2 else "",
        )
        builders.make_enrolment(
            course,
            trainee,
            unit=long_unit if index % 2 else plain_unit,
            position="-Phó Bí thư" if index == 0 else "",
        )
    if withdrawn:
        builders.make_enrolment(
            course,
            builders.make_trainee(centre, full_name="Võ Văn Thôi Học"),
            status=EnrolmentStatus.WITHDRAWN,
            status_reason="Chuyển công tác",
        )
    return course
