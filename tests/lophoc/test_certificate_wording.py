"""What a certificate says (issue 13, items 1, 2, 4, 5): the sentence about the course from the
program's wording (place and dates, the class named once, no class code), the salutation from the
trainee's record, the signing title by layout, and the signer's title on blanks. Every PDF is
read back."""

import datetime
import io
import unicodedata

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from pypdf import PdfReader

from hocvien.models import Gender
from lophoc.catalogue import PROGRAM_SPECS, install_standard_programs
from lophoc.certificates import (
    certificates_issue,
    class_phrase,
    signer_title_lines,
    wording_for,
)
from lophoc.documents import centre_signer
from lophoc.documents.certificates import (
    BLANK_FIELD_LABELS,
    DEFAULT_BLANK_POSITIONS,
    calibration_pdf,
    certificates_pdf,
)
from lophoc.models import (
    DEFAULT_CERTIFICATE_WORDING,
    Certificate,
    Classification,
    CourseStatus,
    Program,
    validate_certificate_wording,
)
from tests import builders
from tests.lophoc.certificate_helpers import ISSUED_ON, make_leader
from trungtam.models import DocumentLayout, LeaderRole
from trungtam.models.base import signing_title

pytestmark = pytest.mark.django_db

VENUE = "Hội trường Ủy ban nhân dân xã Bình Mỹ"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def texts(content: bytes) -> list[str]:
    return [" ".join(nfc(p.extract_text()).split()) for p in PdfReader(io.BytesIO(content)).pages]


def closed_class(centre, *, trainees, **overrides):
    """A closed class held at VENUE, 02/03–06/03/2026, where every trainee given passed."""
    values = {
        "status": CourseStatus.CLOSED,
        "venue": VENUE,
        "name": "Lớp bồi dưỡng nhận thức về Đảng khóa 5 năm 2026",
    }
    values.update(overrides)
    course = builders.make_course(centre, **values)
    for trainee in trainees:
        builders.make_enrolment(
            course,
            trainee,
            final_score="8.5",
            classification=Classification.GOOD,
            is_eligible=True,
            passed=True,
        )
    return course


def issue(course, signer, staff=None):
    return certificates_issue(course=course, user=staff, signer=signer, issued_on=ISSUED_ON)


def person(centre, name, *, gender=Gender.MALE, member=False):
    return builders.make_trainee(centre, full_name=name, gender=gender, is_party_member=member)


# --- item 1: the sentence about the course ----------------------------------------------------


def test_the_sentence_names_the_class_once_with_place_and_dates(centre, staff):
    director = make_leader(centre)
    course = closed_class(centre, trainees=[person(centre, "Lê Văn Tám")])
    (certificate,) = issue(course, director, staff)
    expected = (
        "Đã hoàn thành lớp bồi dưỡng nhận thức về Đảng khóa 5 năm 2026 tổ chức tại "
        f"{VENUE} từ ngày 02/03/2026 đến ngày 06/03/2026"
    )
    assert certificate.completion_text == expected
    for content in (certificates_pdf([certificate]), certificates_pdf([certificate], mode="blank")):
        (text,) = texts(content)
        assert expected in text
        assert "lớp Lớp" not in text and "mã lớp" not in text.lower()
        assert course.code not in text
        assert text.count("02/03/2026") == 1  # the dates are not printed a second time


def test_catalogue_programs_have_their_own_wording(centre, staff):
    install_standard_programs(centre=centre)
    program = Program.objects.get(centre=centre, code="KND")
    assert program.certificate_wording == (
        "Đã hoàn thành lớp bồi dưỡng nhận thức về Đảng tổ chức tại {dia_diem} "
        "từ ngày {tu_ngay} đến ngày {den_ngay}"
    )
    validate_certificate_wording(program.certificate_wording)
    for spec in PROGRAM_SPECS.values():
        validate_certificate_wording(spec.certificate_wording)
        assert "lớp Lớp" not in spec.certificate_wording
    course = closed_class(centre, program=program, trainees=[person(centre, "Võ Thị Sáu")])
    (certificate,) = issue(course, make_leader(centre), staff)
    (text,) = texts(certificates_pdf([certificate]))
    assert (
        "Đã hoàn thành lớp bồi dưỡng nhận thức về Đảng tổ chức tại "
        f"{VENUE} từ ngày 02/03/2026 đến ngày 06/03/2026"
    ) in text


def test_a_program_with_no_wording_takes_the_catalogue_or_the_general_default(centre):
    assert wording_for(builders.make_program(centre)) == DEFAULT_CERTIFICATE_WORDING
    knd = builders.make_program(centre, code="KND", name="Nhận thức về Đảng (tên riêng)")
    assert wording_for(knd) == PROGRAM_SPECS["KND"].certificate_wording
    own = builders.make_program(centre, certificate_wording="Đã học {chuong_trinh}")
    assert wording_for(own) == "Đã học {chuong_trinh}"


def test_staff_wording_with_every_placeholder_and_no_venue_names_the_centre(centre, staff):
    program = builders.make_program(
        centre,
        name="Bồi dưỡng cấp ủy viên cơ sở",
        certificate_wording=(
            "Đã tham gia {lop} thuộc chương trình {chuong_trinh}, học tại {dia_diem}, "
            "từ {tu_ngay} đến {den_ngay}"
        ),
    )
    course = closed_class(
        centre,
        program=program,
        venue="",
        name="Bồi dưỡng cấp ủy viên khóa 2",
        trainees=[person(centre, "Trần Quốc Hưng")],
    )
    (certificate,) = issue(course, make_leader(centre), staff)
    assert certificate.completion_text == (
        "Đã tham gia lớp Bồi dưỡng cấp ủy viên khóa 2 thuộc chương trình Bồi dưỡng cấp ủy viên "
        f"cơ sở, học tại {centre.name}, từ 02/03/2026 đến 06/03/2026"
    )


@pytest.mark.parametrize(
    "name, phrase",
    [
        ("Lớp bồi dưỡng nhận thức về Đảng khóa 5", "lớp bồi dưỡng nhận thức về Đảng khóa 5"),
        ("LỚP  sơ cấp lý luận chính trị", "lớp sơ cấp lý luận chính trị"),
        ("Sơ cấp lý luận chính trị khóa 3", "lớp Sơ cấp lý luận chính trị khóa 3"),
        ("Lớpbồi", "lớp Lớpbồi"),
    ],
)
def test_the_class_phrase_starts_with_one_lower_case_lop(name, phrase):
    assert class_phrase(name) == phrase


@pytest.mark.parametrize(
    "wording, message",
    [
        ("Đã hoàn thành {lop} tại {noi_hoc}", "{noi_hoc}"),
        ("Đã hoàn thành {lop:>20}", "{lop}"),
        ("Đã hoàn thành {0}", "{0}"),
        ("Đã hoàn thành {lop", "không khớp"),
        ("Đã hoàn thành lớp {lop} tại {dia_diem}", "Không viết «lớp» trước {lop}"),
        ("Đã hoàn thành Lớp  {lop}", "Không viết «lớp» trước {lop}"),
    ],
)
def test_a_bad_wording_is_refused_naming_the_allowed_placeholders(wording, message):
    with pytest.raises(ValidationError) as refused:
        validate_certificate_wording(wording)
    text = " ".join(refused.value.messages)
    assert message in text
    if "không dùng được" in text:
        for name in ("{chuong_trinh}", "{lop}", "{dia_diem}", "{tu_ngay}", "{den_ngay}"):
            assert name in text


def test_the_admin_program_form_refuses_a_bad_wording_in_vietnamese(centre, superuser):
    program = builders.make_program(centre)
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = site._registry[Program]
    form_class = model_admin.get_form(request, program)
    fields = {name: field.initial for name, field in form_class.base_fields.items()}
    data = {
        **{name: getattr(program, name) for name in fields if hasattr(program, name)},
        "centre": centre.pk,
        "certificate_wording": "Đã hoàn thành {lop} tại {noi_hoc}",
    }
    form = form_class(data, instance=program)
    assert not form.is_valid()
    assert "Chỉ được dùng: {chuong_trinh}" in form.errors["certificate_wording"][0]
    data["certificate_wording"] = "Đã hoàn thành {lop} tổ chức tại {dia_diem}"
    form = form_class(data, instance=program)
    assert form.is_valid(), form.errors


def test_the_sentence_is_frozen_at_issue(centre, staff):
    trainee = person(centre, "Phạm Thị Hồng Nhung", gender=Gender.FEMALE)
    course = closed_class(centre, trainees=[trainee])
    (certificate,) = issue(course, make_leader(centre), staff)
    before = texts(certificates_pdf([certificate]))
    course.program.certificate_wording = "Đã dự {lop}"
    course.program.save()
    course.venue = "Nơi khác"
    course.save()
    trainee.is_party_member = True
    trainee.save()
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert texts(certificates_pdf([certificate])) == before
    assert "Chứng nhận: Bà Phạm Thị Hồng Nhung" in before[0]


# --- item 2: the salutation -------------------------------------------------------------------


@pytest.mark.parametrize("layout", [DocumentLayout.PARTY, DocumentLayout.STATE])
def test_salutation_from_party_membership_then_gender(centre, staff, layout):
    centre.document_layout = layout
    centre.save()
    people = [
        person(centre, "Nguyễn Văn Đảng", member=True),
        person(centre, "Lê Thị Đảng", gender=Gender.FEMALE, member=True),
        person(centre, "Trần Văn Ông"),
        person(centre, "Hồ Thị Bà", gender=Gender.FEMALE),
    ]
    course = closed_class(centre, trainees=people)
    certificates = issue(course, make_leader(centre), staff)
    by_name = {c.full_name: c for c in certificates}
    assert {name: c.salutation for name, c in by_name.items()} == {
        "Nguyễn Văn Đảng": "Đồng chí",
        "Lê Thị Đảng": "Đồng chí",
        "Trần Văn Ông": "Ông",
        "Hồ Thị Bà": "Bà",
    }
    pages = texts(certificates_pdf(certificates))
    for text, certificate in zip(pages, certificates, strict=True):
        assert f"Chứng nhận: {certificate.salutation} {certificate.full_name}" in text
        assert "Ông/Bà" not in text
    assert sum("Đồng chí" in text for text in pages) == 2


# --- item 4: signing authority by layout ------------------------------------------------------


def test_signing_titles_by_role_and_layout():
    party, state = DocumentLayout.PARTY, DocumentLayout.STATE
    assert signing_title(LeaderRole.DEPUTY, party) == "K/T GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    assert signing_title(LeaderRole.DEPUTY, state) == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    for layout in (party, state):
        assert signing_title(LeaderRole.DIRECTOR, layout) == "GIÁM ĐỐC"
        assert signing_title(LeaderRole.ACTING_DIRECTOR, layout) == "Q. GIÁM ĐỐC"
        assert signing_title(LeaderRole.DEPUTY_IN_CHARGE, layout) == "PHÓ GIÁM ĐỐC PHỤ TRÁCH"


@pytest.mark.parametrize(
    "layout, wanted, unwanted",
    [
        (DocumentLayout.PARTY, "K/T GIÁM ĐỐC", "KT. GIÁM ĐỐC"),
        (DocumentLayout.STATE, "KT. GIÁM ĐỐC", "K/T GIÁM ĐỐC"),
    ],
)
def test_a_deputy_signs_for_the_director_in_the_layouts_form(
    centre, staff, layout, wanted, unwanted
):
    centre.document_layout = layout
    centre.save()
    make_leader(centre)
    deputy = make_leader(centre, role=LeaderRole.DEPUTY, full_name="Phạm Văn Phó")
    course = closed_class(centre, trainees=[person(centre, "Lê Văn Tám")])
    (certificate,) = issue(course, deputy, staff)
    assert signer_title_lines(certificate.signer_title) == [wanted, "PHÓ GIÁM ĐỐC"]
    for mode in ("full", "blank"):
        (text,) = texts(certificates_pdf([certificate], mode=mode))
        assert f"{wanted} PHÓ GIÁM ĐỐC" in text
        assert unwanted not in text
        assert "Phạm Văn Phó" in text
    # The signer list of the class page reads as it will print.
    page = staff_page(centre, staff, course)
    assert f"Phạm Văn Phó – {wanted} / PHÓ GIÁM ĐỐC" in page


def staff_page(centre, staff, course):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(staff)
    builders.make_enrolment(course, passed=True, final_score="9", is_eligible=True)
    return client.get(reverse("lophoc:course_detail", args=[course.pk])).content.decode()


@pytest.mark.parametrize(
    "title, lines",
    [
        ("KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),  # stored before
        ("K/T GIÁM ĐỐC PHÓ GIÁM ĐỐC", ["K/T GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
        ("K/T GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", ["K/T GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
        ("TUQ. GIÁM ĐỐC PHÓ TRƯỞNG PHÒNG", ["TUQ. GIÁM ĐỐC", "PHÓ TRƯỞNG PHÒNG"]),
        ("Q. GIÁM ĐỐC", ["Q. GIÁM ĐỐC"]),
        ("PHÓ GIÁM ĐỐC PHỤ TRÁCH", ["PHÓ GIÁM ĐỐC PHỤ TRÁCH"]),
        ("GIÁM ĐỐC", ["GIÁM ĐỐC"]),
    ],
)
def test_title_lines_of_old_and_new_stored_titles(title, lines):
    assert signer_title_lines(title) == lines


@pytest.mark.parametrize(
    "role, title",
    [
        (LeaderRole.DIRECTOR, "GIÁM ĐỐC"),
        (LeaderRole.ACTING_DIRECTOR, "Q. GIÁM ĐỐC"),
        (LeaderRole.DEPUTY_IN_CHARGE, "PHÓ GIÁM ĐỐC PHỤ TRÁCH"),
    ],
)
def test_class_documents_sign_with_the_same_titles(centre, role, title):
    make_leader(centre, role=role, full_name="Lãnh Đạo")
    assert (centre_signer(centre).title, centre_signer(centre).name) == (title, "Lãnh Đạo")


# --- item 5: the signer's title on blanks -----------------------------------------------------


def test_a_blank_prints_the_signers_title_above_the_name(centre, staff):
    deputy = make_leader(centre, role=LeaderRole.DEPUTY, full_name="Phạm Văn Phó")
    course = closed_class(centre, trainees=[person(centre, "Lê Văn Tám")])
    (certificate,) = issue(course, deputy, staff)
    page = PdfReader(io.BytesIO(certificates_pdf([certificate], mode="blank"))).pages[0]
    where = {}

    def visitor(text, cm, tm, font, size):
        text = nfc(text).strip()
        if text:
            where.setdefault(text, (tm[4], tm[5]))

    page.extract_text(visitor_text=visitor)
    height = float(page.mediabox.height)
    top = {text: round((height - y) / 72 * 25.4) for text, (x, y) in where.items()}
    assert top["K/T GIÁM ĐỐC"] == DEFAULT_BLANK_POSITIONS["signer_title"][1]
    assert top["PHÓ GIÁM ĐỐC"] == DEFAULT_BLANK_POSITIONS["signer_title"][1] + 6
    assert top["Phạm Văn Phó"] == DEFAULT_BLANK_POSITIONS["signer_name"][1]
    assert top["K/T GIÁM ĐỐC"] < top["PHÓ GIÁM ĐỐC"] < top["Phạm Văn Phó"]


def test_the_signer_title_position_is_the_centres_to_move(centre, staff):
    centre.certificate_blank_positions = {"signer_title": [150, 120]}
    centre.save()
    course = closed_class(centre, trainees=[person(centre, "Lê Văn Tám")])
    (certificate,) = issue(course, make_leader(centre), staff)
    page = PdfReader(io.BytesIO(certificates_pdf([certificate], mode="blank"))).pages[0]
    found = {}

    def visitor(text, cm, tm, font, size):
        if nfc(text).strip() == "GIÁM ĐỐC":
            found["y"] = tm[5]

    page.extract_text(visitor_text=visitor)
    height = float(page.mediabox.height)
    assert (height - found["y"]) / 72 * 25.4 == pytest.approx(120, abs=0.5)


@pytest.mark.parametrize("layout, title", [("party", "K/T GIÁM ĐỐC"), ("state", "KT. GIÁM ĐỐC")])
def test_the_calibration_page_shows_the_signer_title(centre, layout, title):
    centre.document_layout = layout
    (text,) = texts(calibration_pdf(centre))
    assert BLANK_FIELD_LABELS["signer_title"] in text
    assert title in text and "PHÓ GIÁM ĐỐC" in text


def test_the_layout_page_lists_the_signer_title_position(client, staff):
    from django.urls import reverse

    client.force_login(staff)
    page = client.get(reverse("lophoc:certificate_layout")).content.decode()
    assert "Chức danh người ký (căn giữa): cách mép trên (mm)" in page


# --- the migration: certificates issued before keep printing sensibly ------------------------


@pytest.mark.django_db(transaction=True)
def test_existing_certificates_get_a_sentence_and_salutation(centre, staff):
    from tests.migrating import latest_nodes, migrate

    member = person(centre, "Nguyễn Văn Đảng", member=True)
    woman = person(centre, "Hồ Thị Bà", gender=Gender.FEMALE)
    course = closed_class(centre, trainees=[member, woman])
    issue(course, make_leader(centre), staff)
    latest = latest_nodes()  # every app: the apps above lophoc are unapplied too
    migrate([("lophoc", "0007_certificate_course_required")])
    migrate([("lophoc", "0008_certificate_wording")])
    found = dict(Certificate.objects.values_list("full_name", "salutation"))
    assert found == {"Nguyễn Văn Đảng": "Đồng chí", "Hồ Thị Bà": "Bà"}
    for sentence in Certificate.objects.values_list("completion_text", flat=True):
        assert sentence == (
            "Đã hoàn thành lớp bồi dưỡng nhận thức về Đảng khóa 5 năm 2026 tổ chức tại "
            f"{VENUE} từ ngày 02/03/2026 đến ngày 06/03/2026"
        )
    migrate(latest)
    assert datetime.date(2026, 3, 6) == course.end_date


def test_a_wording_stored_without_the_form_refuses_issuing_instead_of_printing_braces(
    centre, staff
):
    from lophoc.certificates import CertificateRefused

    program = builders.make_program(centre)
    Program.objects.filter(pk=program.pk).update(certificate_wording="Đã học {noi_hoc}")
    course = closed_class(centre, program=program, trainees=[person(centre, "Lê Văn Tám")])
    with pytest.raises(CertificateRefused, match="Hãy sửa ở trang chương trình"):
        issue(course, make_leader(centre), staff)
    assert not Certificate.objects.exists()
