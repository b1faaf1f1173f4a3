"""The certificate layout settings page: rights, validation, version bump, downloads."""

import pytest
from django.urls import reverse

from lophoc.documents.certificates import BLANK_FIELD_LABELS, blank_positions

URL = reverse("lophoc:certificate_layout")


def posted(centre, **changes):
    data = {"page_size": centre.certificate_page_size}
    for field, (x, y) in blank_positions(centre).items():
        data[f"{field}_x"], data[f"{field}_y"] = str(x), str(y)
    data.update(changes)
    return data


@pytest.mark.django_db
class TestRights:
    def test_anonymous_goes_to_login(self, client):
        response = client.get(URL)
        assert response.status_code == 302 and "dang-nhap" in response.url

    @pytest.mark.parametrize("who", ["official", "lecturer"])
    def test_without_manage_right_403(self, client, request, who):
        client.force_login(request.getfixturevalue(who))
        assert client.get(URL).status_code == 403
        assert client.get(reverse("lophoc:certificate_calibration")).status_code == 403
        assert client.post(URL, {}).status_code == 403

    def test_staff_sees_own_centre(self, client, staff, centre):
        client.force_login(staff)
        response = client.get(URL)
        assert response.status_code == 200
        assert centre.name in response.content.decode()

    def test_other_centre_not_reachable_for_staff(self, client, staff, other_centre):
        client.force_login(staff)
        response = client.get(URL, {"trung_tam": other_centre.pk})
        assert other_centre.name not in response.content.decode()  # own centre only

    def test_province_admin_picks_a_centre(self, client, superuser, centre):
        client.force_login(superuser)
        assert centre.name in client.get(URL).content.decode()
        response = client.get(URL, {"trung_tam": centre.pk})
        assert response.status_code == 200 and "page_size" in response.content.decode()


@pytest.mark.django_db
class TestSaving:
    def test_move_a_field_bumps_version(self, client, staff, centre):
        client.force_login(staff)
        response = client.post(
            URL, posted(centre, full_name_x="50", full_name_y="40,5"), follow=True
        )
        centre.refresh_from_db()
        assert centre.certificate_blank_positions == {"full_name": [50.0, 40.5]}
        assert centre.certificate_layout_version == 2
        assert "Đã lưu mẫu giấy chứng nhận" in response.content.decode()

    def test_nothing_changed_keeps_version(self, client, staff, centre):
        client.force_login(staff)
        client.post(URL, posted(centre))
        centre.refresh_from_db()
        assert centre.certificate_layout_version == 1
        assert centre.certificate_blank_positions == {}

    def test_page_size_change_bumps_version(self, client, staff, centre):
        client.force_login(staff)
        client.post(URL, posted(centre, page_size="a5"))
        centre.refresh_from_db()
        assert centre.certificate_page_size == "a5"
        assert centre.certificate_layout_version == 2
        assert centre.certificate_blank_positions == {}  # untouched fields follow A5 defaults

    @pytest.mark.parametrize(
        ("size", "field", "value"),
        [
            ("a4", "number_x", "298"),
            ("a4", "number_y", "211"),
            ("a5", "qr_y", "150"),
            ("a4", "code_x", "-1"),
            ("a4", "code_x", "abc"),
        ],
    )
    def test_out_of_bounds_refused_and_kept(self, client, staff, centre, size, field, value):
        client.force_login(staff)
        response = client.post(URL, posted(centre, page_size=size, **{field: value}))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Hãy nhập" in page and f'value="{value}"' in page
        centre.refresh_from_db()
        assert centre.certificate_layout_version == 1

    def test_form_lists_every_field(self, client, staff):
        client.force_login(staff)
        page = client.get(URL).content.decode()
        for field in BLANK_FIELD_LABELS:
            assert f'name="{field}_x"' in page and f'name="{field}_y"' in page


@pytest.mark.django_db
class TestDownloads:
    def test_calibration_page(self, client, staff, centre):
        client.force_login(staff)
        response = client.get(reverse("lophoc:certificate_calibration"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.getvalue().startswith(b"%PDF")
        assert "trang-can-chinh" in response["Content-Disposition"]

    @pytest.mark.parametrize(("mode", "slug"), [("full", "day-du"), ("phoi", "in-phoi")])
    def test_sample_in_both_modes_not_stored(self, client, staff, mode, slug):
        from lophoc.models import Certificate

        client.force_login(staff)
        response = client.get(reverse("lophoc:certificate_sample"), {"in": mode})
        assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
        assert slug in response["Content-Disposition"]
        assert not Certificate.objects.exists()

    def test_lecturer_cannot_download_sample(self, client, lecturer):
        client.force_login(lecturer)
        assert client.get(reverse("lophoc:certificate_sample")).status_code == 403
