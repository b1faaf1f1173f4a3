import re

import pytest

from lophoc.catalogue import PROGRAM_SPECS, STANDARD_PROGRAMS, install_standard_programs
from lophoc.models import CertificateIssuer, Program, ProgramAssessment, ProgramTopic
from tests import builders

pytestmark = pytest.mark.django_db


def counts():
    return (
        Program.objects.count(),
        ProgramTopic.objects.count(),
        ProgramAssessment.objects.count(),
    )


def test_the_catalogue_has_the_eleven_programs_of_the_design():
    assert len(STANDARD_PROGRAMS) == 11
    codes = [spec.code for spec in STANDARD_PROGRAMS]
    assert len(set(codes)) == 11
    for code in codes:
        assert re.fullmatch(r"[A-Z]{2,5}", code), code  # usable in class codes: KND-03/2026
    assert len({spec.name for spec in STANDARD_PROGRAMS}) == 11


def test_topic_counts_and_lengths_follow_the_design():
    assert len(PROGRAM_SPECS["KND"].topics) == 5
    assert len(PROGRAM_SPECS["DVM"].topics) == 10
    assert len(PROGRAM_SPECS["SC"].topics) == 18
    assert 285 <= PROGRAM_SPECS["SC"].default_periods <= 305
    assert 3 <= PROGRAM_SPECS["KND"].default_days <= 7
    assert 5 <= PROGRAM_SPECS["DVM"].default_days <= 7
    for spec in STANDARD_PROGRAMS:
        assert spec.topics, spec.code
        assert all(periods > 0 for _, periods in spec.topics), spec.code


def test_assessed_programs_have_one_final_assessment_and_the_others_none():
    for spec in STANDARD_PROGRAMS:
        finals = [a for a in spec.assessments if a.is_final]
        if spec.is_assessed:
            assert len(finals) == 1, spec.code
            assert sum(a.weight for a in spec.assessments) > 0
        else:
            assert spec.assessments == (), spec.code
    assert len(PROGRAM_SPECS["SC"].assessments) >= 3
    assert not PROGRAM_SPECS["CNKT"].is_assessed
    assert not PROGRAM_SPECS["GVH"].is_assessed


def test_certificate_issuers_and_absence_limits():
    assert PROGRAM_SPECS["KND"].certificate_issuer == CertificateIssuer.CENTRE
    assert PROGRAM_SPECS["TC"].certificate_issuer == CertificateIssuer.PARTNER
    assert PROGRAM_SPECS["TC"].partner_name
    assert PROGRAM_SPECS["CNKT"].certificate_issuer == CertificateIssuer.NONE
    assert PROGRAM_SPECS["KND"].absence_limit_percent == 20
    assert PROGRAM_SPECS["GVH"].absence_limit_percent < 20


def test_it_installs_every_program_with_topics_and_assessments(centre):
    created = install_standard_programs(centre=centre)

    assert len(created) == 11
    programs = {p.code: p for p in Program.objects.filter(centre=centre)}
    assert set(programs) == set(PROGRAM_SPECS)
    for code, spec in PROGRAM_SPECS.items():
        program = programs[code]
        assert program.name == spec.name
        assert program.system == spec.system
        assert program.is_assessed == spec.is_assessed
        assert program.default_periods == spec.default_periods
        assert list(program.topics.values_list("order", "title", "periods")) == [
            (order, title, periods) for order, (title, periods) in enumerate(spec.topics, start=1)
        ]
        assert program.assessments.count() == len(spec.assessments)
    knd = programs["KND"]
    assert knd.topics.count() == 5
    assert list(knd.assessments.values_list("is_final", flat=True)) == [True]


def test_running_twice_creates_nothing_new(centre):
    install_standard_programs(centre=centre)
    before = counts()

    assert install_standard_programs(centre=centre) == []
    assert counts() == before


def test_an_edited_program_is_not_overwritten(centre):
    install_standard_programs(centre=centre)
    knd = Program.objects.get(centre=centre, code="KND")
    knd.name = "Bồi dưỡng lý luận chính trị cho đối tượng kết nạp Đảng"
    knd.default_days = 3
    knd.save()
    knd.topics.filter(order=5).delete()
    knd.assessments.update(name="Bài viết thu hoạch")

    install_standard_programs(centre=centre)

    knd.refresh_from_db()
    assert knd.name == "Bồi dưỡng lý luận chính trị cho đối tượng kết nạp Đảng"
    assert knd.default_days == 3
    assert knd.topics.count() == 4
    assert list(knd.assessments.values_list("name", flat=True)) == ["Bài viết thu hoạch"]
    assert Program.objects.filter(centre=centre).count() == 11


def test_a_deleted_program_comes_back_and_the_others_are_kept(centre):
    install_standard_programs(centre=centre)
    Program.objects.get(centre=centre, code="QPAN").delete()

    created = install_standard_programs(centre=centre)

    assert [p.code for p in created] == ["QPAN"]


def test_a_program_of_the_centre_with_the_same_name_is_not_duplicated(centre):
    builders.make_program(centre, code="CTKN", name=PROGRAM_SPECS["KND"].name)

    created = install_standard_programs(centre=centre)

    assert "KND" not in {p.code for p in created}
    assert Program.objects.filter(centre=centre, name=PROGRAM_SPECS["KND"].name).count() == 1


def test_each_centre_gets_its_own_programs(centre, other_centre):
    install_standard_programs(centre=centre)
    created = install_standard_programs(centre=other_centre)

    assert len(created) == 11
    assert Program.objects.filter(centre=other_centre).count() == 11
    assert Program.objects.filter(centre=centre).count() == 11
