"""The two demo centres: who runs them, the units they serve, their lecturers and rooms.

Centre PL is a former district-level centre reorganised on 1/7/2025: its classes before that
date were sent by towns (thị trấn) and communes that were then merged into the new wards.
Centre BM is a commune-level centre. Places are plausible, not a record of real boundaries.
"""

import datetime
from dataclasses import dataclass, field

REORGANISATION = datetime.date(2025, 7, 1)

# Units valid before the 2025 reorganisation only, after it only, or throughout.
OLD, NEW, ALWAYS = "old", "new", "always"


@dataclass(frozen=True)
class UnitSpec:
    name: str
    kind: str
    era: str = ALWAYS
    served: bool = False
    merged_into: str = ""
    address: str = ""


@dataclass(frozen=True)
class LecturerSpec:
    full_name: str
    kind: str  # full_time / part_time / guest
    position: str = "lecturer"
    title: str = ""
    political_theory_level: str = "cao_cap"
    professional_level: str = "bachelor"
    qualifications: str = ""
    workplace: str = ""
    # Program codes this lecturer is asked for first; empty = any program.
    programs: tuple[str, ...] = ()
    in_small: bool = False
    account: str = ""  # demo username linked to this lecturer


@dataclass(frozen=True)
class CentreSpec:
    code: str
    name: str
    level: str
    parent_body: str
    supervising_committee: str
    place_name: str
    address: str
    phone: str
    email: str
    document_layout: str
    reorganised_on: datetime.date | None
    director: str
    deputies: tuple[str, ...]
    rooms: tuple[str, ...]
    venue: str
    units: tuple[UnitSpec, ...]
    lecturers: tuple[LecturerSpec, ...]
    partner_for: dict = field(default_factory=dict)  # program code → partner of its classes


PHU_LOI_UNITS = (
    # Wards and communes served since 1/7/2025.
    UnitSpec("Phường Phú Lợi", "ward", NEW, served=True, address="Khu phố 3, phường Phú Lợi"),
    UnitSpec("Phường Hòa Lợi", "ward", NEW, served=True),
    UnitSpec("Xã Phước Hòa", "commune", ALWAYS, served=True),
    UnitSpec("Xã An Long", "commune", ALWAYS, served=True),
    UnitSpec("Xã Định Thành", "commune", NEW, served=True),
    # Towns and communes merged on 1/7/2025.
    UnitSpec("Thị trấn Phú Lợi", "town", OLD, merged_into="Phường Phú Lợi"),
    UnitSpec("Xã Phú Hòa", "commune", OLD, merged_into="Phường Phú Lợi"),
    UnitSpec("Xã Tân Lập", "commune", OLD, merged_into="Phường Phú Lợi"),
    UnitSpec("Xã An Điền", "commune", OLD, merged_into="Phường Hòa Lợi"),
    UnitSpec("Xã Tân Hưng", "commune", OLD, merged_into="Phường Hòa Lợi"),
    UnitSpec("Xã Phước Sang", "commune", OLD, merged_into="Xã Phước Hòa"),
    UnitSpec("Xã An Thái", "commune", OLD, merged_into="Xã An Long"),
    UnitSpec("Xã Tam Lập", "commune", OLD, merged_into="Xã An Long"),
    UnitSpec("Thị trấn Định Thành", "town", OLD, merged_into="Xã Định Thành"),
    UnitSpec(
        "Ủy ban nhân dân thị trấn Phú Lợi",
        "agency",
        OLD,
        merged_into="Ủy ban nhân dân phường Phú Lợi",
    ),
    # Party organisations; the base party committees followed their communes.
    UnitSpec("Đảng bộ phường Phú Lợi", "party_org", NEW),
    UnitSpec("Đảng bộ xã An Long", "party_org"),
    UnitSpec("Đảng bộ thị trấn Phú Lợi", "party_org", OLD, merged_into="Đảng bộ phường Phú Lợi"),
    UnitSpec("Đảng bộ xã Phú Hòa", "party_org", OLD, merged_into="Đảng bộ phường Phú Lợi"),
    UnitSpec("Đảng bộ xã An Thái", "party_org", OLD, merged_into="Đảng bộ xã An Long"),
    UnitSpec("Chi bộ khu phố 1", "party_org"),
    UnitSpec("Chi bộ khu phố 2", "party_org"),
    UnitSpec("Chi bộ khu phố 3", "party_org"),
    UnitSpec("Chi bộ ấp Bến Tranh", "party_org"),
    UnitSpec("Chi bộ ấp Suối Giữa", "party_org"),
    UnitSpec("Chi bộ ấp Hòa Thạnh", "party_org"),
    UnitSpec("Chi bộ ấp An Thái", "party_org"),
    UnitSpec("Chi bộ Trường THCS Phú Lợi", "party_org"),
    UnitSpec("Chi bộ Trạm Y tế xã Phước Hòa", "party_org"),
    UnitSpec("Chi bộ Công ty TNHH Điện tử Minh Phát", "party_org"),
    UnitSpec("Đảng bộ Công an phường Phú Lợi", "party_org", NEW),
    UnitSpec("Chi bộ Quân sự phường Phú Lợi", "party_org", NEW),
    # Agencies, mass organisations, schools, enterprises, armed forces.
    UnitSpec("Ủy ban nhân dân phường Phú Lợi", "agency", NEW),
    UnitSpec("Văn phòng Đảng ủy phường Phú Lợi", "agency", NEW),
    UnitSpec("Phòng Văn hóa – Xã hội phường Phú Lợi", "agency", NEW),
    UnitSpec("Ủy ban nhân dân xã Phước Hòa", "agency"),
    UnitSpec("Ủy ban Mặt trận Tổ quốc Việt Nam phường Phú Lợi", "mass_org", NEW),
    UnitSpec("Đoàn Thanh niên Cộng sản Hồ Chí Minh phường Phú Lợi", "mass_org", NEW),
    UnitSpec("Hội Liên hiệp Phụ nữ phường Phú Lợi", "mass_org", NEW),
    UnitSpec("Hội Nông dân xã Phước Hòa", "mass_org"),
    UnitSpec("Hội Cựu chiến binh xã An Long", "mass_org"),
    UnitSpec("Trường THCS Phú Lợi", "school"),
    UnitSpec("Trường Tiểu học Tân Lập", "school"),
    UnitSpec("Trường Mầm non Hoa Sen", "school"),
    UnitSpec("Trường THPT Định Thành", "school"),
    UnitSpec("Công ty TNHH Điện tử Minh Phát", "enterprise"),
)

BINH_MY_UNITS = (
    UnitSpec("Xã Bình Mỹ", "commune", ALWAYS, served=True, address="Ấp Bình Thạnh, xã Bình Mỹ"),
    UnitSpec("Xã Lạc An", "commune", ALWAYS, served=True),
    UnitSpec("Xã Tân Mỹ", "commune", OLD, merged_into="Xã Bình Mỹ"),
    UnitSpec("Xã Thường Tân", "commune", OLD, merged_into="Xã Lạc An"),
    UnitSpec("Chi bộ ấp Bình Thạnh", "party_org"),
    UnitSpec("Chi bộ ấp Bình Hòa", "party_org"),
    UnitSpec("Chi bộ ấp Tân Lương", "party_org"),
    UnitSpec("Chi bộ ấp Lạc Sơn", "party_org"),
    UnitSpec("Chi bộ ấp Bố Lá", "party_org"),
    UnitSpec("Chi bộ ấp Cây Sắn", "party_org"),
    UnitSpec("Chi bộ ấp Hiếu Liêm", "party_org"),
    UnitSpec("Chi bộ ấp Tân Thạnh", "party_org"),
    UnitSpec("Chi bộ ấp Bình Cơ", "party_org"),
    UnitSpec("Chi bộ ấp Vườn Điều", "party_org"),
    UnitSpec("Chi bộ Trường THCS Bình Mỹ", "party_org"),
    UnitSpec("Chi bộ Trạm Y tế xã Bình Mỹ", "party_org"),
    UnitSpec("Chi bộ Quân sự xã Bình Mỹ", "party_org"),
    UnitSpec("Đảng bộ Công an xã Bình Mỹ", "party_org"),
    UnitSpec("Chi bộ Hợp tác xã Nông nghiệp Bình Mỹ", "party_org"),
    UnitSpec("Ủy ban nhân dân xã Bình Mỹ", "agency"),
    UnitSpec("Văn phòng Đảng ủy xã Bình Mỹ", "agency"),
    UnitSpec("Phòng Kinh tế xã Bình Mỹ", "agency"),
    UnitSpec("Phòng Văn hóa – Xã hội xã Bình Mỹ", "agency"),
    UnitSpec("Trung tâm Phục vụ hành chính công xã Bình Mỹ", "agency"),
    UnitSpec("Ủy ban Mặt trận Tổ quốc Việt Nam xã Bình Mỹ", "mass_org"),
    UnitSpec("Đoàn Thanh niên Cộng sản Hồ Chí Minh xã Bình Mỹ", "mass_org"),
    UnitSpec("Hội Liên hiệp Phụ nữ xã Bình Mỹ", "mass_org"),
    UnitSpec("Hội Nông dân xã Bình Mỹ", "mass_org"),
    UnitSpec("Hội Cựu chiến binh xã Bình Mỹ", "mass_org"),
    UnitSpec("Trường THCS Bình Mỹ", "school"),
    UnitSpec("Trường Tiểu học Tân Thành", "school"),
    UnitSpec("Trường Tiểu học Lạc An", "school"),
    UnitSpec("Trường Mầm non Bình Mỹ", "school"),
    UnitSpec("Trường THPT Lạc An", "school"),
    UnitSpec("Công ty TNHH Chế biến gỗ Tân Thành", "enterprise"),
    UnitSpec("Hợp tác xã Nông nghiệp Bình Mỹ", "enterprise"),
    UnitSpec("Ban Chỉ huy Quân sự xã Bình Mỹ", "armed"),
    UnitSpec("Công an xã Bình Mỹ", "armed"),
)

PARTY = ("KND", "DVM", "NVD", "CUV", "SC", "CNKT")

PHU_LOI_LECTURERS = (
    LecturerSpec(
        "Trần Quốc Hưng",
        "full_time",
        position="director",
        title="ThS.",
        professional_level="master",
        qualifications="Thạc sĩ Xây dựng Đảng và Chính quyền nhà nước",
        workplace="Trung tâm Chính trị phường Phú Lợi",
        programs=PARTY,
        in_small=True,
    ),
    LecturerSpec(
        "Lê Thị Thu Hà",
        "full_time",
        position="deputy",
        title="ThS.",
        professional_level="master",
        qualifications="Thạc sĩ Triết học",
        workplace="Trung tâm Chính trị phường Phú Lợi",
        programs=("KND", "DVM", "SC", "GVH", "CNKT"),
        in_small=True,
    ),
    LecturerSpec(
        "Nguyễn Thị Ánh Nguyệt",
        "full_time",
        title="ThS.",
        political_theory_level="cu_nhan",
        professional_level="master",
        qualifications="Thạc sĩ Lịch sử Đảng Cộng sản Việt Nam",
        workplace="Trung tâm Chính trị phường Phú Lợi",
        in_small=True,
        account="giangvien",
    ),
    LecturerSpec(
        "Đặng Minh Đức",
        "full_time",
        position="deputy",
        qualifications="Cử nhân Luật",
        workplace="Trung tâm Chính trị phường Phú Lợi",
        programs=("QLNN", "NVD", "CUV", "SC"),
    ),
    LecturerSpec(
        "Phạm Văn Lực",
        "full_time",
        position="lecturer_admin",
        political_theory_level="cu_nhan",
        qualifications="Cử nhân Chính trị học",
        workplace="Trung tâm Chính trị phường Phú Lợi",
    ),
    LecturerSpec(
        "Võ Thị Kim Ngân",
        "full_time",
        qualifications="Cử nhân Kinh tế chính trị",
        workplace="Trung tâm Chính trị phường Phú Lợi",
    ),
    LecturerSpec(
        "Huỳnh Tấn Phát",
        "part_time",
        position="other",
        title="ThS.",
        professional_level="master",
        qualifications="Thạc sĩ Quản lý công",
        workplace="Đảng ủy phường Phú Lợi (Phó Bí thư Thường trực)",
        programs=("CUV", "NVD", "CNKT"),
    ),
    LecturerSpec(
        "Đỗ Thị Lệ Quyên",
        "part_time",
        position="other",
        qualifications="Cử nhân Xuất bản – Báo chí",
        workplace="Ban Tuyên giáo và Dân vận Đảng ủy phường Phú Lợi (Trưởng ban)",
        programs=("MTDT", "CNKT", "GVH"),
    ),
    LecturerSpec(
        "Bùi Văn Toàn",
        "part_time",
        position="other",
        political_theory_level="trung_cap",
        qualifications="Cử nhân Luật",
        workplace="Ủy ban Kiểm tra Đảng ủy phường Phú Lợi",
        programs=("NVD", "CUV"),
    ),
    LecturerSpec(
        "Lương Minh Triết",
        "guest",
        position="other",
        title="TS.",
        professional_level="doctor",
        qualifications="Tiến sĩ Kinh tế chính trị",
        workplace="Trường Chính trị tỉnh",
        programs=("SC", "CNKT", "DVM"),
        in_small=True,
    ),
    LecturerSpec(
        "Ngô Quang Vinh",
        "guest",
        position="other",
        political_theory_level="trung_cap",
        qualifications="Chỉ huy tham mưu lục quân",
        workplace="Bộ Chỉ huy Quân sự tỉnh",
        programs=("QPAN",),
    ),
    LecturerSpec(
        "Hồ Thị Bích Liên",
        "guest",
        position="other",
        title="ThS.",
        professional_level="master",
        qualifications="Thạc sĩ Quản lý giáo dục",
        workplace="Phòng Văn hóa – Xã hội phường Phú Lợi",
        programs=("GVH", "QLNN"),
    ),
)

BINH_MY_LECTURERS = (
    LecturerSpec(
        "Võ Văn Tâm",
        "full_time",
        position="director",
        title="ThS.",
        professional_level="master",
        qualifications="Thạc sĩ Chính trị học",
        workplace="Trung tâm Chính trị xã Bình Mỹ",
        programs=PARTY,
        in_small=True,
    ),
    LecturerSpec(
        "Huỳnh Thị Mỹ Duyên",
        "full_time",
        position="deputy",
        qualifications="Cử nhân Sư phạm Ngữ văn",
        workplace="Trung tâm Chính trị xã Bình Mỹ",
        programs=("KND", "DVM", "GVH", "MTDT"),
        in_small=True,
    ),
    LecturerSpec(
        "Lâm Thanh Sơn",
        "full_time",
        political_theory_level="cu_nhan",
        qualifications="Cử nhân Chủ nghĩa xã hội khoa học",
        workplace="Trung tâm Chính trị xã Bình Mỹ",
        in_small=True,
        account="giangvien2",
    ),
    LecturerSpec(
        "Trương Thị Ngọc Hân",
        "full_time",
        title="ThS.",
        professional_level="master",
        qualifications="Thạc sĩ Hồ Chí Minh học",
        workplace="Trung tâm Chính trị xã Bình Mỹ",
    ),
    LecturerSpec(
        "Đinh Công Tuấn",
        "part_time",
        position="other",
        qualifications="Cử nhân Hành chính học",
        workplace="Đảng ủy xã Bình Mỹ (Phó Bí thư)",
        programs=("CUV", "NVD", "QLNN"),
        in_small=True,
    ),
    LecturerSpec(
        "Nguyễn Thị Thùy Dương",
        "part_time",
        position="other",
        political_theory_level="trung_cap",
        qualifications="Cử nhân Công tác xã hội",
        workplace="Ủy ban Mặt trận Tổ quốc Việt Nam xã Bình Mỹ (Chủ tịch)",
        programs=("MTDT", "QLNN"),
    ),
    LecturerSpec(
        "Phan Văn Khải",
        "guest",
        position="other",
        title="PGS.TS.",
        professional_level="doctor",
        qualifications="Tiến sĩ Lịch sử Đảng",
        workplace="Học viện Chính trị khu vực II",
        programs=("CNKT", "DVM"),
    ),
    LecturerSpec(
        "Trần Hữu Nghĩa",
        "guest",
        position="other",
        political_theory_level="trung_cap",
        qualifications="Cử nhân An ninh nhân dân",
        workplace="Công an xã Bình Mỹ",
        programs=("QPAN",),
    ),
)

CENTRES = (
    CentreSpec(
        code="PL",
        name="Trung tâm Chính trị phường Phú Lợi",
        level="district",
        parent_body="Đảng ủy phường Phú Lợi",
        supervising_committee="Ban Thường vụ Đảng ủy phường Phú Lợi",
        place_name="Phú Lợi",
        address="Số 12 đường Lê Hồng Phong, khu phố 3, phường Phú Lợi",
        phone="0274 3822 456",
        email="ttct.phuloi@example.vn",
        document_layout="party",
        reorganised_on=REORGANISATION,
        director="Trần Quốc Hưng",
        deputies=("Lê Thị Thu Hà", "Đặng Minh Đức"),
        rooms=("Hội trường A", "Hội trường B", "Phòng 2", "Phòng 3"),
        venue="Trung tâm Chính trị phường Phú Lợi",
        units=PHU_LOI_UNITS,
        lecturers=PHU_LOI_LECTURERS,
        partner_for={
            "QPAN": "Ban Chỉ huy Quân sự phường Phú Lợi",
            "GVH": "Phòng Văn hóa – Xã hội phường Phú Lợi",
        },
    ),
    CentreSpec(
        code="BM",
        name="Trung tâm Chính trị xã Bình Mỹ",
        level="commune",
        parent_body="Đảng ủy xã Bình Mỹ",
        supervising_committee="Ban Thường vụ Đảng ủy xã Bình Mỹ",
        place_name="Bình Mỹ",
        address="Ấp Bình Thạnh, xã Bình Mỹ",
        phone="0274 3640 118",
        email="ttct.binhmy@example.vn",
        document_layout="state",
        reorganised_on=None,
        director="Võ Văn Tâm",
        deputies=("Huỳnh Thị Mỹ Duyên",),
        rooms=("Hội trường", "Phòng 1", "Phòng 2"),
        venue="Trung tâm Chính trị xã Bình Mỹ",
        units=BINH_MY_UNITS,
        lecturers=BINH_MY_LECTURERS,
        partner_for={
            "QPAN": "Ban Chỉ huy Quân sự xã Bình Mỹ",
            "GVH": "Phòng Văn hóa – Xã hội xã Bình Mỹ",
        },
    ),
)

# Which kinds of unit send trainees to each program, with weights.
SENDERS = {
    "KND": {
        "party_org": 60,
        "school": 14,
        "agency": 10,
        "enterprise": 8,
        "mass_org": 6,
        "armed": 2,
    },
    "DVM": {
        "party_org": 60,
        "school": 14,
        "agency": 10,
        "enterprise": 8,
        "mass_org": 6,
        "armed": 2,
    },
    "NVD": {"party_org": 90, "agency": 5, "armed": 5},
    "CUV": {"commune": 35, "ward": 20, "town": 10, "party_org": 25, "agency": 10},
    "SC": {"commune": 25, "ward": 10, "town": 10, "party_org": 30, "agency": 15, "mass_org": 10},
    "CNKT": {"party_org": 60, "agency": 20, "mass_org": 10, "school": 10},
    "QLNN": {"commune": 50, "ward": 30, "town": 10, "party_org": 10},
    "GVH": {"school": 100},
    "MTDT": {"mass_org": 70, "commune": 15, "ward": 15},
    "QPAN": {"party_org": 30, "agency": 20, "mass_org": 20, "commune": 15, "ward": 5, "armed": 10},
    "TC": {"commune": 30, "ward": 20, "agency": 30, "party_org": 20},
}

POSITIONS = {
    "KND": [
        ("Đoàn viên", 30),
        ("Giáo viên", 12),
        ("Công chức", 8),
        ("Bí thư Chi đoàn", 8),
        ("Chi hội trưởng Phụ nữ", 5),
        ("Công nhân", 8),
        ("Nhân viên", 10),
        ("Dân quân", 4),
        ("", 15),
    ],
    "DVM": [
        ("Đảng viên", 40),
        ("Giáo viên", 12),
        ("Công chức", 10),
        ("Bí thư Chi đoàn", 8),
        ("Nhân viên", 12),
        ("Công nhân", 6),
        ("", 12),
    ],
    "NVD": [("Bí thư chi bộ", 40), ("Phó Bí thư chi bộ", 30), ("Chi ủy viên", 30)],
    "CUV": [
        ("Đảng ủy viên", 50),
        ("Ủy viên Ban Thường vụ Đảng ủy", 15),
        ("Bí thư chi bộ", 20),
        ("Chủ nhiệm Ủy ban Kiểm tra", 5),
        ("Phó Chủ tịch Ủy ban nhân dân", 10),
    ],
    "SC": [("Công chức", 40), ("Bí thư chi bộ", 20), ("Trưởng ấp", 15), ("Chi hội trưởng", 25)],
    "CNKT": [("Đảng viên", 60), ("Bí thư chi bộ", 20), ("Công chức", 20)],
    "QLNN": [
        ("Trưởng ấp", 35),
        ("Phó Trưởng ấp", 20),
        ("Trưởng khu phố", 25),
        ("Phó Trưởng khu phố", 20),
    ],
    "GVH": [
        ("Giáo viên", 80),
        ("Hiệu trưởng", 7),
        ("Phó Hiệu trưởng", 8),
        ("Tổng phụ trách Đội", 5),
    ],
    "MTDT": [
        ("Chi hội trưởng Phụ nữ", 25),
        ("Bí thư Chi đoàn", 25),
        ("Chi hội trưởng Nông dân", 20),
        ("Chi hội trưởng Cựu chiến binh", 15),
        ("Trưởng Ban công tác Mặt trận", 15),
    ],
    "QPAN": [
        ("Trưởng ấp", 25),
        ("Bí thư chi bộ", 25),
        ("Công chức", 25),
        ("Chi hội trưởng", 25),
    ],
    "TC": [("Công chức", 60), ("Phó Chủ tịch Ủy ban nhân dân", 20), ("Bí thư chi bộ", 20)],
}

# Positions of candidates and members by the kind of unit that sends them.
POSITIONS_BY_KIND = {
    "school": [("Giáo viên", 80), ("Nhân viên", 8), ("Tổng phụ trách Đội", 6), ("Kế toán", 6)],
    "enterprise": [
        ("Công nhân", 50),
        ("Nhân viên", 30),
        ("Tổ trưởng sản xuất", 12),
        ("Kỹ thuật viên", 8),
    ],
    "agency": [("Công chức", 55), ("Viên chức", 30), ("Nhân viên hợp đồng", 15)],
    "armed": [("Chiến sĩ", 40), ("Dân quân thường trực", 40), ("Trung đội trưởng dân quân", 20)],
    "mass_org": [
        ("Chi hội trưởng Phụ nữ", 30),
        ("Bí thư Chi đoàn", 30),
        ("Chi hội trưởng Nông dân", 20),
        ("Cán bộ chuyên trách", 20),
    ],
}
# Share of women in each program's classes; years of birth (earliest, latest).
FEMALE_SHARE = {"GVH": 0.75, "MTDT": 0.55, "KND": 0.55, "DVM": 0.52, "QLNN": 0.25, "CUV": 0.3}
BIRTH_YEARS = {
    "KND": (1985, 2005),
    "DVM": (1984, 2004),
    "NVD": (1965, 1990),
    "CUV": (1965, 1988),
    "SC": (1972, 1998),
    "CNKT": (1965, 1995),
    "QLNN": (1965, 1992),
    "GVH": (1968, 2001),
    "MTDT": (1975, 2003),
    "QPAN": (1966, 1994),
    "TC": (1975, 1995),
}
# Share of party members among the trainees of each program (KND: none, they are candidates).
MEMBER_SHARE = {
    "KND": 0.0,
    "DVM": 1.0,
    "NVD": 1.0,
    "CUV": 1.0,
    "SC": 0.85,
    "CNKT": 1.0,
    "QLNN": 0.7,
    "GVH": 0.5,
    "MTDT": 0.65,
    "QPAN": 0.8,
    "TC": 1.0,
}
EDUCATION = [
    ("Đại học", 45),
    ("Cao đẳng", 12),
    ("Trung cấp", 12),
    ("12/12", 25),
    ("Thạc sĩ", 4),
    ("9/12", 2),
]
EDUCATION_BY_PROGRAM = {
    "GVH": [("Đại học", 75), ("Cao đẳng", 15), ("Thạc sĩ", 10)],
    "CUV": [("Đại học", 70), ("Thạc sĩ", 8), ("Trung cấp", 12), ("12/12", 10)],
}
# Birth places (first digits of the CCCD number) of people living in the area.
PROVINCE_CODES = [
    ("074", "Bình Dương", 62),
    ("079", "Thành phố Hồ Chí Minh", 6),
    ("070", "Bình Phước", 5),
    ("038", "Thanh Hóa", 5),
    ("040", "Nghệ An", 4),
    ("036", "Nam Định", 3),
    ("034", "Thái Bình", 3),
    ("052", "Bình Định", 3),
    ("051", "Quảng Ngãi", 3),
    ("094", "Sóc Trăng", 2),
    ("084", "Trà Vinh", 2),
    ("058", "Ninh Thuận", 2),
]
