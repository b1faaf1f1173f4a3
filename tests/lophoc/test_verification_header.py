"""The public check speaks for the centre, not the software (issue 14, item 18): its title, brand
and footer carry the centre's name (the installation's centres before a look-up when there are
several), and the hint shows a number as the centre prints it, with its year."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import builders
from tests.lophoc.certificate_helpers import make_certificate
from trungtam.models import DocumentLayout

YEAR = timezone.localdate().year


def brand(page: str) -> str:
    return re.search(r'class="navbar-brand[^"]*"[^>]*>(.*?)</a>', page, re.S).group(1)


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


@pytest.mark.django_db
def test_one_centre_names_itself_and_its_number_pattern(client):
    builders.make_centre(name="Trung tâm Chính trị phường Phú Lợi", short_name="TTCT")
    page = client.get(reverse("verify")).content.decode()
    assert title(page) == "Xác thực giấy chứng nhận · Trung tâm Chính trị phường Phú Lợi"
    assert "Trung tâm Chính trị phường Phú Lợi" in brand(page)
    assert "trungtam" not in brand(page) and "trungtam" not in title(page)
    assert f"ví dụ 12-GCN/TTCT/{YEAR}." in page
    assert "Ví dụ 12-GCN/TTCT," not in page  # the old hint, without the year


@pytest.mark.django_db
def test_a_state_layout_centre_shows_its_own_pattern(client):
    builders.make_centre(document_layout=DocumentLayout.STATE, short_name="TTCT")
    page = client.get(reverse("verify")).content.decode()
    assert f"ví dụ 12/GCN-TTCT/{YEAR}." in page


@pytest.mark.django_db
def test_a_centre_pattern_of_its_own_is_the_hint(client):
    builders.make_centre(certificate_number_pattern="{seq}/{year}/GCN-{short}", short_name="BM")
    page = client.get(reverse("verify")).content.decode()
    assert f"ví dụ 12/{YEAR}/GCN-BM." in page


@pytest.mark.django_db
def test_several_centres_name_the_installation_and_every_pattern(client):
    builders.make_centre(short_name="TTCT")
    builders.make_centre(document_layout=DocumentLayout.STATE, short_name="TTCT")
    builders.make_report_issuer(parent_body="Tỉnh ủy Bình Dương")
    page = client.get(reverse("verify")).content.decode()
    assert "Các trung tâm chính trị – Tỉnh ủy Bình Dương" in brand(page)
    assert f"ví dụ 12-GCN/TTCT/{YEAR} hoặc 12/GCN-TTCT/{YEAR}." in page


@pytest.mark.django_db
def test_the_answer_names_the_centre_that_issued_it(client):
    builders.make_centre(name="Trung tâm Chính trị xã Bình Mỹ")
    centre = builders.make_centre(name="Trung tâm Chính trị phường Phú Lợi")
    certificate = make_certificate(builders.make_enrolment(builders.make_course(centre)), 1)
    page = client.get(reverse("verify_code", args=[certificate.verification_code]))
    page = page.content.decode()
    assert "Còn hiệu lực" in page
    assert "Trung tâm Chính trị phường Phú Lợi" in brand(page)
    assert title(page).endswith("· Trung tâm Chính trị phường Phú Lợi")
