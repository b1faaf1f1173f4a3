"""Vietnamese personal names for the demo, with the proportions found in a southern province.

Family names are weighted roughly as in the population (Nguyễn about a third); ethnic-minority
names follow their own customs (Khmer "Thạch", "Danh", "Chau"; Chăm "Đàng", "Thành"; Hoa
"Lâm", "Quách"; S'tiêng "Điểu").
"""

import random

KINH_FAMILY = [
    ("Nguyễn", 31),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 6),
    ("Huỳnh", 4),
    ("Hoàng", 2),
    ("Phan", 4),
    ("Võ", 4),
    ("Vũ", 2),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1.5),
    ("Ngô", 1.5),
    ("Dương", 1),
    ("Lý", 0.6),
    ("Đinh", 0.8),
    ("Trương", 1),
    ("Lâm", 0.8),
    ("Mai", 0.6),
    ("Tô", 0.4),
    ("Cao", 0.5),
    ("Đoàn", 0.6),
    ("Lương", 0.5),
    ("Tạ", 0.3),
    ("Châu", 0.4),
    ("Thái", 0.3),
    ("La", 0.2),
    ("Hà", 0.5),
    ("Kiều", 0.2),
    ("Từ", 0.2),
    ("Văn", 0.2),
    ("Lưu", 0.3),
    ("Quách", 0.2),
    ("Đào", 0.5),
    ("Nông", 0.1),
    ("Triệu", 0.2),
    ("Ông", 0.1),
]

MALE_MIDDLE = [
    ("Văn", 30),
    ("Minh", 8),
    ("Quốc", 5),
    ("Hoàng", 4),
    ("Thanh", 5),
    ("Đức", 4),
    ("Công", 3),
    ("Hữu", 4),
    ("Ngọc", 3),
    ("Xuân", 2),
    ("Tấn", 4),
    ("Thành", 3),
    ("Trung", 2),
    ("Duy", 2),
    ("Anh", 2),
    ("Gia", 2),
    ("Đình", 3),
    ("Quang", 3),
    ("Hải", 1),
    ("Bá", 1),
    ("Phước", 1),
    ("Trọng", 2),
    ("Chí", 2),
    ("Nhật", 1),
    ("Hoài", 1),
]
MALE_DOUBLE_MIDDLE = ["Văn Minh", "Hoàng Anh", "Quốc Bảo", "Minh Nhật", "Thanh Tùng", "Đức Anh"]

FEMALE_MIDDLE = [
    ("Thị", 40),
    ("Ngọc", 6),
    ("Thanh", 4),
    ("Thu", 3),
    ("Kim", 4),
    ("Mỹ", 3),
    ("Minh", 2),
    ("Hồng", 2),
    ("Thúy", 2),
    ("Bích", 2),
    ("Phương", 2),
    ("Hoài", 1),
    ("Khánh", 1),
    ("Bảo", 1),
    ("Diễm", 1),
    ("Tuyết", 1),
    ("Ánh", 1),
]
FEMALE_DOUBLE_MIDDLE = [
    "Thị Ngọc",
    "Thị Kim",
    "Thị Thanh",
    "Thị Thu",
    "Thị Mỹ",
    "Thị Ánh",
    "Thị Bích",
    "Thị Hồng",
    "Ngọc Bảo",
    "Thị Diễm",
]

MALE_GIVEN = """An Anh Bảo Bình Chiến Công Cường Danh Dũng Duy Dương Đạt Điền Định Đông Đức
Giang Hải Hào Hiếu Hiển Hòa Hoàng Hùng Huy Hưng Khang Khánh Khoa Kiên Lâm Lộc Lợi Long Luân
Mạnh Minh Nam Nghĩa Nhân Nhật Phát Phong Phúc Phước Quân Quang Quốc Sang Sơn Tài Tâm Tân
Thắng Thành Thiện Thịnh Thông Tiến Toàn Trí Trọng Trung Tuấn Tùng Vinh Việt Vũ Vương Đăng
Đạo Lực Tú Quý Khải Hậu Tín Nhựt Thuận Hiệp Kha Lành Tuyên Đại Hạnh Triều Khôi Phú Tường""".split()

FEMALE_GIVEN = """An Anh Ánh Bích Châu Chi Diễm Dung Duyên Đào Giang Hà Hạnh Hằng Hân Hiền Hoa
Hồng Huệ Hương Huyền Khánh Kiều Lan Liên Linh Loan Lụa Mai My Nga Ngân Ngọc Nhi Nhung Oanh
Phương Phượng Quyên Quỳnh Sương Tâm Thảo Thơ Thu Thủy Thúy Thư Tiên Trang Trâm Trinh Tuyết
Uyên Vân Vy Xuân Yến Nhàn Lệ Diệp Mơ Hậu Nguyệt Giàu Thắm Mến Cúc Đoan Thoa Nhàn Hiếu""".split()

# (ethnicity, share in %, family names, male middle names, female middle names, given names or None
# for the Kinh lists). Proportions follow a southern province: mostly Kinh, then Hoa and Khmer.
ETHNIC_GROUPS = [
    ("Kinh", 90.5, None, None, None, None),
    (
        "Hoa",
        3.0,
        ["Lâm", "Lý", "Trương", "Quách", "Mã", "Hứa", "Tăng", "Diệp", "Châu", "Lưu"],
        ["Quốc", "Gia", "Vĩnh", "Kiến", "Chấn", "Thế"],
        ["Tú", "Mỹ", "Ngọc", "Lệ", "Huệ", "Thị"],
        (
            ["Huy", "Hào", "Cường", "Kiệt", "Vinh", "Phát", "Long", "Hùng", "Minh", "Quân"],
            ["Linh", "Mẫn", "Quyên", "Phụng", "Dung", "Ngọc", "Anh", "Vân", "Hoa", "Nghi"],
        ),
    ),
    (
        "Khmer",
        2.5,
        ["Thạch", "Danh", "Kim", "Sơn", "Chau", "Lâm"],
        ["", "Văn"],
        ["Thị"],
        (
            ["Rinh", "Sóc", "Phol", "Khơ", "Sa Rươn", "Út", "Phanh", "Ra", "Thươl", "Sà Ry"],
            ["Sa Vy", "Sóc Phi", "Rươne", "Đa Ni", "Sà Quên", "Mỹ Linh", "Kim Chi", "Sa Rết"],
        ),
    ),
    (
        "Tày",
        1.2,
        ["Hoàng", "Nông", "Lục", "Hà", "Triệu", "Đàm", "Ma", "Bế", "Lương"],
        ["Văn", "Đức"],
        ["Thị"],
        None,
    ),
    (
        "Nùng",
        1.0,
        ["Nông", "Hoàng", "Lăng", "Vi", "Lương", "Chu", "Mã"],
        ["Văn", "Thành"],
        ["Thị"],
        None,
    ),
    (
        "Chăm",
        0.6,
        ["Đàng", "Thành", "Quảng", "Dụng", "Lưu", "Thiên", "Trượng", "Báo"],
        ["Văn", "Đại", "Hữu"],
        ["Thị", "Thị Mỹ"],
        None,
    ),
    ("Mường", 0.6, ["Bùi", "Đinh", "Quách", "Hà", "Xa"], ["Văn", "Công"], ["Thị"], None),
    ("S'tiêng", 0.6, ["Điểu"], ["", "Văn"], ["Thị"], None),
]

RELIGIONS = {
    # ethnicity: [(religion, weight)] — blank is "không"
    "Kinh": [
        ("", 80),
        ("Phật giáo", 10),
        ("Công giáo", 6),
        ("Cao Đài", 2),
        ("Tin lành", 1.2),
        ("Phật giáo Hòa Hảo", 0.8),
    ],
    "Hoa": [("", 55), ("Phật giáo", 40), ("Công giáo", 5)],
    "Khmer": [("Phật giáo", 85), ("", 15)],
    "Chăm": [("Hồi giáo", 50), ("Bà-la-môn", 35), ("", 15)],
    "S'tiêng": [("", 60), ("Tin lành", 25), ("Công giáo", 15)],
}


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def pick_ethnicity(rng: random.Random) -> tuple:
    return weighted(rng, [(group, group[1]) for group in ETHNIC_GROUPS])


def make_name(rng: random.Random, *, male: bool, group=None) -> tuple[str, str]:
    """A (full name, ethnicity) pair; Kinh unless `group` says otherwise."""
    group = group or ETHNIC_GROUPS[0]
    ethnicity, _, families, male_middles, female_middles, givens = group
    if families is None:
        family = weighted(rng, KINH_FAMILY)
        if rng.random() < 0.04:
            # Mother's family name carried as a second family name: Trần Lê Minh Khôi.
            second = weighted(rng, KINH_FAMILY)
            if second != family:
                family = f"{family} {second}"
        if male:
            middle = (
                rng.choice(MALE_DOUBLE_MIDDLE)
                if rng.random() < 0.06
                else weighted(rng, MALE_MIDDLE)
            )
            given = rng.choice(MALE_GIVEN)
        else:
            middle = (
                rng.choice(FEMALE_DOUBLE_MIDDLE)
                if rng.random() < 0.18
                else weighted(rng, FEMALE_MIDDLE)
            )
            given = rng.choice(FEMALE_GIVEN)
    else:
        family = rng.choice(families)
        middle = rng.choice(male_middles if male else female_middles)
        if givens is None:
            given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
        else:
            given = rng.choice(givens[0] if male else givens[1])
        if family == middle.split(" ")[0]:
            middle = middle.split(" ", 1)[1] if " " in middle else ""
    words = [family, middle, given]
    return " ".join(word for word in words if word), ethnicity


def pick_religion(rng: random.Random, ethnicity: str, *, party_member: bool) -> str:
    choices = RELIGIONS.get(ethnicity, [("", 90), ("Phật giáo", 10)])
    religion = weighted(rng, choices)
    if party_member and religion and rng.random() < 0.7:
        return ""
    return religion
