"""The standard program catalogue (DESIGN §5a): installed for every centre, then the centre's own.

The specs here are only a starting point. `install_standard_programs` creates the programs a
centre is missing and never touches one the centre already has, so a centre's edits survive.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from lophoc.models import (
    CertificateIssuer,
    Program,
    ProgramAssessment,
    ProgramSystem,
    ProgramTopic,
)


@dataclass(frozen=True)
class AssessmentSpec:
    name: str
    weight: Decimal = Decimal("1")
    is_final: bool = False


@dataclass(frozen=True)
class ProgramSpec:
    code: str  # short, used in class codes: KND-03/2026
    name: str
    system: str
    class_name: str  # how a class of the program is named: "<class_name> khóa 3 năm 2026"
    topics: tuple[tuple[str, int], ...]  # (title, periods)
    assessments: tuple[AssessmentSpec, ...] = ()
    is_assessed: bool = True
    certificate_issuer: str = CertificateIssuer.CENTRE
    partner_name: str = ""
    default_days: int = 5
    absence_limit_percent: Decimal = Decimal("20")
    description: str = ""
    # Periods of written tests and the bài thu hoạch, taught in no topic.
    exam_periods: int = 0
    # The certificate's sentence about the course (placeholders: lophoc.models
    # WORDING_PLACEHOLDERS); empty means «Đã hoàn thành <the class name> tổ chức tại …».
    wording: str = ""

    @property
    def certificate_wording(self) -> str:
        if self.wording:
            return self.wording
        # "Lớp bồi dưỡng …" → "lớp bồi dưỡng …": the sentence names the class once, in lower case.
        kind = self.class_name
        if kind.casefold().startswith("lớp "):
            kind = "lớp " + kind[4:]
        return (
            f"Đã hoàn thành {kind} tổ chức tại {{dia_diem}} "
            "từ ngày {tu_ngay} đến ngày {den_ngay}"
        )

    @property
    def default_periods(self) -> int:
        return sum(periods for _, periods in self.topics) + self.exam_periods


THU_HOACH = (AssessmentSpec("Bài thu hoạch cuối khóa", Decimal("1"), is_final=True),)

STANDARD_PROGRAMS: tuple[ProgramSpec, ...] = (
    ProgramSpec(
        code="KND",
        name="Bồi dưỡng nhận thức về Đảng (đối tượng kết nạp Đảng)",
        system=ProgramSystem.PARTY,
        class_name="Lớp bồi dưỡng nhận thức về Đảng",
        default_days=5,
        exam_periods=4,
        topics=(
            ("Chuyên đề 1: Khái quát về chủ nghĩa Mác – Lênin, tư tưởng Hồ Chí Minh", 8),
            (
                "Chuyên đề 2: Mục tiêu, con đường đi lên chủ nghĩa xã hội ở Việt Nam "
                "và công cuộc đổi mới",
                8,
            ),
            (
                "Chuyên đề 3: Đảng Cộng sản Việt Nam – đội tiên phong của giai cấp công nhân, "
                "đồng thời là đội tiên phong của nhân dân lao động và của dân tộc Việt Nam",
                8,
            ),
            ("Chuyên đề 4: Tổ chức cơ sở đảng và đảng viên", 8),
            ("Chuyên đề 5: Phấn đấu trở thành đảng viên Đảng Cộng sản Việt Nam", 4),
        ),
        assessments=THU_HOACH,
        description=(
            "Chương trình bồi dưỡng lý luận chính trị dành cho quần chúng ưu tú "
            "được chi bộ giới thiệu xem xét kết nạp vào Đảng. Giấy chứng nhận là "
            "một thành phần của hồ sơ kết nạp."
        ),
    ),
    ProgramSpec(
        code="DVM",
        name="Lý luận chính trị dành cho đảng viên mới",
        system=ProgramSystem.PARTY,
        class_name="Lớp bồi dưỡng lý luận chính trị dành cho đảng viên mới",
        default_days=6,
        exam_periods=4,
        topics=(
            (
                "Bài 1: Chủ nghĩa Mác – Lênin, tư tưởng Hồ Chí Minh – nền tảng tư tưởng, "
                "kim chỉ nam cho hành động của Đảng",
                8,
            ),
            ("Bài 2: Độc lập dân tộc và chủ nghĩa xã hội ở Việt Nam", 4),
            ("Bài 3: Phát triển kinh tế thị trường định hướng xã hội chủ nghĩa", 4),
            ("Bài 4: Xây dựng, phát triển văn hóa, con người Việt Nam; bảo đảm an sinh xã hội", 4),
            ("Bài 5: Đường lối quốc phòng, an ninh và đối ngoại của Đảng", 4),
            ("Bài 6: Phát huy sức mạnh đại đoàn kết toàn dân tộc và quyền làm chủ của nhân dân", 4),
            ("Bài 7: Xây dựng Nhà nước pháp quyền xã hội chủ nghĩa Việt Nam", 4),
            ("Bài 8: Xây dựng, chỉnh đốn Đảng trong sạch, vững mạnh", 4),
            ("Bài 9: Tổ chức cơ sở đảng và công tác đảng viên", 4),
            (
                "Bài 10: Nhiệm vụ của đảng viên; học tập và làm theo tư tưởng, đạo đức, "
                "phong cách Hồ Chí Minh",
                4,
            ),
        ),
        assessments=THU_HOACH,
        description=(
            "Bồi dưỡng cho đảng viên trong thời gian dự bị. Kết quả bài thu hoạch là căn cứ "
            "để chi bộ xét công nhận đảng viên chính thức."
        ),
    ),
    ProgramSpec(
        code="NVD",
        name="Nghiệp vụ công tác Đảng (bí thư, phó bí thư, chi ủy viên)",
        system=ProgramSystem.PARTY,
        class_name="Lớp bồi dưỡng nghiệp vụ công tác Đảng cho bí thư, phó bí thư, chi ủy viên",
        default_days=3,
        exam_periods=4,
        topics=(
            ("Chức năng, nhiệm vụ của tổ chức cơ sở đảng và chi bộ", 4),
            ("Nhiệm vụ, quyền hạn của bí thư, phó bí thư và chi ủy viên", 4),
            ("Nâng cao chất lượng sinh hoạt chi bộ; chuẩn bị và điều hành buổi sinh hoạt", 4),
            ("Công tác phát triển đảng viên và quản lý hồ sơ đảng viên", 4),
            ("Công tác kiểm tra, giám sát và thi hành kỷ luật trong chi bộ", 4),
        ),
        assessments=THU_HOACH,
    ),
    ProgramSpec(
        code="CUV",
        name="Bồi dưỡng cấp ủy viên cơ sở",
        system=ProgramSystem.PARTY,
        class_name="Lớp bồi dưỡng cấp ủy viên cơ sở",
        default_days=4,
        exam_periods=4,
        topics=(
            ("Nội dung cơ bản của nghị quyết đại hội Đảng các cấp", 4),
            ("Chức năng, nhiệm vụ, quyền hạn của cấp ủy cơ sở và cấp ủy viên", 4),
            ("Quy chế làm việc của cấp ủy; nguyên tắc tập trung dân chủ", 4),
            ("Công tác tư tưởng và công tác dân vận ở cơ sở", 4),
            ("Công tác tổ chức, cán bộ và quản lý đảng viên ở cơ sở", 4),
            ("Công tác kiểm tra, giám sát của cấp ủy cơ sở", 4),
            ("Kỹ năng lãnh đạo, xử lý tình huống trong công tác của cấp ủy viên", 4),
        ),
        assessments=THU_HOACH,
    ),
    ProgramSpec(
        code="SC",
        name="Sơ cấp lý luận chính trị",
        system=ProgramSystem.PARTY,
        class_name="Lớp sơ cấp lý luận chính trị",
        default_days=30,
        exam_periods=25,
        topics=(
            ("Bài 1: Khái quát về chủ nghĩa Mác – Lênin", 15),
            ("Bài 2: Khái quát về tư tưởng Hồ Chí Minh", 15),
            ("Bài 3: Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 15),
            ("Bài 4: Khái quát về Đảng Cộng sản Việt Nam và lịch sử đảng bộ địa phương", 15),
            ("Bài 5: Mục tiêu, con đường đi lên chủ nghĩa xã hội ở Việt Nam", 15),
            ("Bài 6: Phát triển kinh tế thị trường định hướng xã hội chủ nghĩa", 15),
            ("Bài 7: Phát triển văn hóa, xã hội và con người Việt Nam", 15),
            ("Bài 8: Quốc phòng, an ninh và đối ngoại", 15),
            ("Bài 9: Hệ thống chính trị ở cơ sở", 15),
            ("Bài 10: Nhà nước pháp quyền xã hội chủ nghĩa và chính quyền địa phương", 15),
            ("Bài 11: Mặt trận Tổ quốc và các tổ chức chính trị – xã hội ở cơ sở", 15),
            ("Bài 12: Tổ chức cơ sở đảng và đảng viên", 20),
            ("Bài 13: Nghiệp vụ công tác xây dựng Đảng ở cơ sở", 20),
            ("Bài 14: Công tác dân vận và thực hiện dân chủ ở cơ sở", 15),
            ("Bài 15: Quản lý nhà nước về kinh tế, tài chính, đất đai ở cơ sở", 15),
            ("Bài 16: Kỹ năng lãnh đạo, quản lý và xử lý tình huống ở cơ sở", 15),
            (
                "Bài 17: Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác "
                "các quan điểm sai trái, thù địch",
                10,
            ),
            ("Bài 18: Tình hình, nhiệm vụ của địa phương; nghiên cứu thực tế", 10),
        ),
        assessments=(
            AssessmentSpec("Kiểm tra phần I (chủ nghĩa Mác – Lênin, tư tưởng Hồ Chí Minh)"),
            AssessmentSpec("Kiểm tra phần II (Đảng và đường lối)"),
            AssessmentSpec("Kiểm tra phần III (hệ thống chính trị ở cơ sở)"),
            AssessmentSpec("Thi cuối khóa", Decimal("2"), is_final=True),
        ),
        description=(
            "Chương trình dài ngày; nay chủ yếu tổ chức phối hợp hoặc giữ lại để tra cứu "
            "các lớp đã mở. Mỗi bài kiểm tra có giảng viên chấm riêng."
        ),
    ),
    ProgramSpec(
        code="CNKT",
        name="Cập nhật kiến thức, nghị quyết mới",
        system=ProgramSystem.PARTY,
        class_name="Lớp cập nhật kiến thức, nghị quyết mới",
        default_days=2,
        is_assessed=False,
        certificate_issuer=CertificateIssuer.NONE,
        absence_limit_percent=Decimal("10"),
        topics=(
            ("Nội dung cơ bản của nghị quyết mới của Trung ương", 8),
            ("Nghị quyết của đảng bộ cấp trên và chương trình hành động của địa phương", 4),
            ("Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 4),
        ),
        description="Học tập, quán triệt nghị quyết; chỉ xét chuyên cần, không cấp giấy chứng nhận.",
    ),
    ProgramSpec(
        code="QLNN",
        name="Quản lý nhà nước, kỹ năng điều hành cho cán bộ ấp, khu phố",
        system=ProgramSystem.STATE,
        class_name="Lớp bồi dưỡng kiến thức quản lý nhà nước, kỹ năng điều hành cho cán bộ ấp, khu phố",
        default_days=4,
        exam_periods=4,
        topics=(
            ("Tổ chức và hoạt động của ấp, khu phố; vai trò của trưởng ấp, trưởng khu phố", 4),
            ("Thực hiện dân chủ ở cơ sở; hương ước, quy ước của cộng đồng dân cư", 4),
            ("Kỹ năng tổ chức họp dân và vận động nhân dân", 4),
            ("Hòa giải ở cơ sở; tiếp nhận, xử lý kiến nghị của người dân", 4),
            ("Bảo đảm an ninh, trật tự và phòng, chống tội phạm ở ấp, khu phố", 4),
            ("Quản lý đất đai, trật tự xây dựng và bảo vệ môi trường ở cơ sở", 4),
            ("Chuyển đổi số và ứng dụng công nghệ thông tin ở ấp, khu phố", 4),
        ),
        assessments=(AssessmentSpec("Bài kiểm tra cuối khóa", Decimal("1"), is_final=True),),
    ),
    ProgramSpec(
        code="GVH",
        name="Bồi dưỡng chính trị hè cho giáo viên",
        system=ProgramSystem.STATE,
        class_name="Lớp bồi dưỡng chính trị hè cho cán bộ quản lý, giáo viên",
        default_days=3,
        is_assessed=False,
        certificate_issuer=CertificateIssuer.NONE,
        absence_limit_percent=Decimal("10"),
        topics=(
            ("Tình hình thế giới, trong nước và những vấn đề đặt ra đối với giáo dục", 4),
            ("Quan điểm của Đảng về đổi mới căn bản, toàn diện giáo dục và đào tạo", 4),
            (
                "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
                "trong ngành giáo dục",
                4,
            ),
            ("Bảo vệ nền tảng tư tưởng của Đảng trong trường học", 4),
            ("Phòng, chống tác động tiêu cực của mạng xã hội đối với học sinh", 4),
            ("Tình hình kinh tế – xã hội của địa phương và nhiệm vụ năm học mới", 4),
        ),
        description=(
            "Phối hợp với cơ quan quản lý giáo dục tổ chức vào dịp hè; chỉ xét chuyên cần, "
            "kết quả báo về đơn vị."
        ),
    ),
    ProgramSpec(
        code="MTDT",
        name="Nghiệp vụ công tác Mặt trận, đoàn thể (Đoàn, Phụ nữ, Nông dân, Cựu chiến binh)",
        system=ProgramSystem.MASS,
        class_name="Lớp bồi dưỡng nghiệp vụ công tác Mặt trận, đoàn thể",
        default_days=3,
        exam_periods=4,
        topics=(
            (
                "Vị trí, vai trò của Mặt trận Tổ quốc và các tổ chức chính trị – xã hội "
                "trong hệ thống chính trị",
                4,
            ),
            ("Nghiệp vụ công tác Mặt trận ở khu dân cư", 4),
            ("Nghiệp vụ công tác Đoàn và phong trào thanh niên ở cơ sở", 4),
            ("Nghiệp vụ công tác Hội Phụ nữ, Hội Nông dân, Hội Cựu chiến binh ở cơ sở", 4),
            ("Kỹ năng vận động quần chúng và tổ chức phong trào thi đua", 4),
        ),
        assessments=THU_HOACH,
    ),
    ProgramSpec(
        code="QPAN",
        name="Kiến thức quốc phòng – an ninh đối tượng 4",
        system=ProgramSystem.OTHER,
        class_name="Lớp bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 4",
        default_days=2,
        topics=(
            ("Quan điểm của Đảng về bảo vệ Tổ quốc trong tình hình mới", 4),
            (
                "Xây dựng nền quốc phòng toàn dân gắn với thế trận an ninh nhân dân "
                "vững chắc ở cơ sở",
                4,
            ),
            ("Xây dựng lực lượng dân quân tự vệ, dự bị động viên ở cơ sở", 4),
            (
                "Phòng, chống chiến lược «diễn biến hòa bình», bạo loạn lật đổ; "
                "bảo đảm an ninh, trật tự ở cơ sở",
                4,
            ),
        ),
        assessments=(AssessmentSpec("Bài thu hoạch", Decimal("1"), is_final=True),),
        description="Phối hợp với cơ quan quân sự địa phương tổ chức.",
    ),
    ProgramSpec(
        code="TC",
        name="Trung cấp lý luận chính trị – hành chính",
        system=ProgramSystem.PARTNER,
        class_name="Lớp trung cấp lý luận chính trị – hành chính",
        default_days=180,
        certificate_issuer=CertificateIssuer.PARTNER,
        partner_name="Trường Chính trị tỉnh",
        exam_periods=60,
        topics=(
            (
                "Phần I: Những vấn đề cơ bản của chủ nghĩa Mác – Lênin, tư tưởng Hồ Chí Minh",
                160,
            ),
            (
                "Phần II: Những vấn đề cơ bản về Đảng Cộng sản và lịch sử Đảng Cộng sản Việt Nam",
                120,
            ),
            (
                "Phần III: Hệ thống chính trị, Nhà nước và pháp luật xã hội chủ nghĩa",
                140,
            ),
            (
                "Phần IV: Đường lối, chính sách của Đảng, Nhà nước về các lĩnh vực "
                "của đời sống xã hội",
                180,
            ),
            ("Phần V: Kỹ năng lãnh đạo, quản lý và nghiệp vụ công tác ở cơ sở", 200),
            ("Phần VI: Tình hình, nhiệm vụ của địa phương; nghiên cứu thực tế", 60),
        ),
        assessments=(
            AssessmentSpec("Điểm trung bình các học phần", Decimal("1")),
            AssessmentSpec("Thi tốt nghiệp", Decimal("1"), is_final=True),
        ),
        description=(
            "Phối hợp với Trường Chính trị tỉnh; trường cấp bằng. Trung tâm theo dõi "
            "danh sách, chuyên cần và kết quả."
        ),
    ),
)

PROGRAM_SPECS: dict[str, ProgramSpec] = {spec.code: spec for spec in STANDARD_PROGRAMS}


@transaction.atomic
def install_standard_programs(*, centre) -> list[Program]:
    """Create the standard programs the centre lacks, with their topics and assessments.

    A program is recognised by its code (or, failing that, its name), and one that exists is
    never changed: the centre may have edited it. Returns the programs created now.
    """
    existing = Program.objects.filter(centre=centre)
    codes = {code.upper() for code in existing.values_list("code", flat=True)}
    names = set(existing.values_list("name", flat=True))
    created = []
    for spec in STANDARD_PROGRAMS:
        if spec.code.upper() in codes or spec.name in names:
            continue
        program = Program.objects.create(
            centre=centre,
            code=spec.code,
            name=spec.name,
            system=spec.system,
            is_assessed=spec.is_assessed,
            certificate_issuer=spec.certificate_issuer,
            partner_name=spec.partner_name,
            certificate_wording=spec.certificate_wording,
            default_days=spec.default_days,
            default_periods=spec.default_periods,
            absence_limit_percent=spec.absence_limit_percent,
            description=spec.description,
        )
        ProgramTopic.objects.bulk_create(
            ProgramTopic(program=program, order=order, title=title, periods=periods)
            for order, (title, periods) in enumerate(spec.topics, start=1)
        )
        ProgramAssessment.objects.bulk_create(
            ProgramAssessment(
                program=program,
                order=order,
                name=assessment.name,
                weight=assessment.weight,
                is_final=assessment.is_final,
            )
            for order, assessment in enumerate(spec.assessments, start=1)
        )
        created.append(program)
    return created
