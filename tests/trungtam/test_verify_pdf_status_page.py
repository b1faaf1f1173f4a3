"""/ky-so/ (issue 18): what signing the environment configures and what is missing, and the
signed copies kept per kind — for those who manage users and centres; never a secret."""

import pytest
from django.urls import reverse

from tests import builders
from tests.signing.pki import PASSWORD, pkcs12_settings, small_pdf
from trungtam.models import SignedKind
from trungtam.signing import sign_pdf
from trungtam.signing.documents import keep

URL = "/ky-so/"


def page(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.text


def test_the_address_is_the_vietnamese_one():
    assert reverse("signing_status") == URL


@pytest.mark.django_db
def test_not_configured_says_so_and_names_the_variables(client, admin_user, settings):
    settings.SIGNING = {}
    text = page(client, admin_user)
    assert 'data-signing="off"' in text
    assert "Chưa ký số" in text
    assert "SIGNING_PKCS12_PATH" in text and "SIGNING_PKCS11_MODULE" in text
    assert "Không có (PAdES B-B)" in text


@pytest.mark.django_db
def test_half_filled_lists_what_is_missing(client, admin_user, settings, signing_pki):
    settings.SIGNING = {"PKCS12_PATH": str(signing_pki.centre_p12)}
    text = page(client, admin_user)
    assert 'data-signing="off"' in text
    assert "<code>SIGNING_PKCS12_PASSWORD</code>" in text


@pytest.mark.django_db
def test_configured_shows_the_certificate_and_no_secret(client, admin_user, centre_key, settings):
    settings.SIGNING = {**settings.SIGNING, "TSA_URL": "http://tsa.example.vn/tsr"}
    text = page(client, admin_user)
    assert 'data-signing="usable"' in text
    assert "Tệp PKCS#12 (.p12/.pfx) trên máy chủ" in text
    assert "Trung tâm Chính trị phường Phú Lợi" in text
    assert "Hiệu lực đến" in text and "đã hết hạn" not in text
    assert "http://tsa.example.vn/tsr (PAdES B-T)" in text
    assert "Hiện trên trang" in text
    assert PASSWORD not in text


@pytest.mark.django_db
def test_an_expired_certificate_is_shown_as_unusable(client, admin_user, settings, signing_pki):
    settings.SIGNING = pkcs12_settings(signing_pki.expired_p12)
    text = page(client, admin_user)
    assert 'data-signing="broken"' in text
    assert "đã hết hạn" in text
    assert "data-problems" in text
    assert PASSWORD not in text


@pytest.mark.django_db
def test_a_wrong_password_is_a_problem_not_a_500(client, admin_user, settings, signing_pki):
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12, PKCS12_PASSWORD="sai-mat-khau-9")
    text = page(client, admin_user)
    assert 'data-signing="broken"' in text
    assert "sai-mat-khau-9" not in text


@pytest.mark.django_db
def test_it_counts_the_kept_copies_of_the_admins_centre(
    client, admin_user, centre, other_centre, centre_key
):
    original = small_pdf(["Thông báo"])
    signed = sign_pdf(original, reason="Thông báo kết quả", location="Phú Lợi")
    keep(kind=SignedKind.RESULT_NOTICE, ref="1:2", centre=centre, original=original, signed=signed)
    keep(
        kind=SignedKind.RESULT_NOTICE,
        ref="9:9",
        centre=other_centre,
        original=original,
        signed=signed,
    )
    text = page(client, admin_user)
    assert "data-kept-total>1<" in text


@pytest.mark.django_db
def test_staff_officials_and_lecturers_get_403(client, staff, official, lecturer, settings):
    settings.SIGNING = {}
    for user in (staff, official, lecturer):
        client.force_login(user)
        assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_superuser_of_no_centre_sees_it(client, superuser, settings):
    settings.SIGNING = {}
    assert "Chưa ký số" in page(client, superuser)


@pytest.mark.django_db
def test_a_unit_liaison_gets_403(client, centre, settings):
    from trungtam.models import Role

    settings.SIGNING = {}
    client.force_login(builders.make_user(role=Role.UNIT, centre=centre, username="lienlac"))
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_the_menu_leads_admins_only_to_the_page(client):
    from trungtam.models import Role

    centre = builders.make_centre()
    link = f'href="{URL}"'
    client.force_login(builders.make_user(role=Role.ADMIN, centre=centre, username="qt"))
    assert link in client.get(reverse("home")).content.decode()
    client.force_login(builders.make_user(role=Role.STAFF, centre=centre, username="gv"))
    assert link not in client.get(reverse("home")).content.decode()
