"""Creating and editing lecturers: staff and admins only."""

import pytest
from django.urls import reverse

from giangvien.models import Lecturer
from tests import builders

CREATE = reverse("giangvien:lecturer_create")


def edit_url(lecturer):
    return reverse("giangvien:lecturer_edit", args=[lecturer.pk])


def data(**overrides) -> dict:
    values = {
        "full_name": "Trần Văn Bình",
        "title": "ThS.",
        "kind": "guest",
        "position": "lecturer",
        "active": "on",
        "political_theory_level": "cao_cap",
        "professional_level": "master",
        "workplace": "Trường Chính trị tỉnh",
        "phone": "0912 345 678",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    assert client.post(CREATE, data())["Location"].startswith(reverse("login"))
    assert not Lecturer.objects.exists()


@pytest.mark.parametrize("role", ["official", "province_official", "lecturer"])
@pytest.mark.django_db
def test_read_only_roles_get_403(client, request, centre, role):
    colleague = builders.make_lecturer(centre, full_name="Phạm Văn Cũ")
    user = request.getfixturevalue(role)
    client.force_login(user)
    count = Lecturer.objects.count()
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, data()).status_code == 403
    assert Lecturer.objects.count() == count
    # A lecturer does not find colleagues at all; officials find them but may not edit.
    expected = 404 if role == "lecturer" else 403
    assert client.post(edit_url(colleague), data()).status_code == expected
    colleague.refresh_from_db()
    assert colleague.full_name == "Phạm Văn Cũ"


@pytest.mark.django_db
def test_a_lecturer_cannot_edit_their_own_record(client, lecturer):
    client.force_login(lecturer)
    own = lecturer.lecturer
    assert client.get(edit_url(own)).status_code == 403
    assert client.post(edit_url(own), data(full_name="Tự Sửa")).status_code == 403


@pytest.mark.django_db
def test_other_centres_lecturers_are_404(client, other_staff, lecturer):
    client.force_login(other_staff)
    assert client.get(edit_url(lecturer.lecturer)).status_code == 404


@pytest.mark.django_db
def test_staff_create_a_lecturer(client, staff, centre):
    client.force_login(staff)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, data(), follow=True)
    created = Lecturer.objects.get()
    assert response.redirect_chain[-1][0] == reverse("giangvien:lecturer_detail", args=[created.pk])
    assert "Đã thêm giảng viên Trần Văn Bình" in response.text
    assert created.centre == centre and created.kind == "guest" and created.user is None
    assert created.history.first().history_user == staff


@pytest.mark.django_db
def test_a_bad_phone_number_says_what_to_type(client, staff):
    client.force_login(staff)
    response = client.post(CREATE, data(phone="không có", full_name="Trần Văn Giữ"))
    assert "chỉ gồm chữ số, dấu + và khoảng trắng" in " ".join(
        response.context["form"].errors["phone"]
    )
    assert response.context["form"]["full_name"].value() == "Trần Văn Giữ"
    assert not Lecturer.objects.exists()


@pytest.mark.django_db
def test_a_missing_kind_is_explained(client, staff):
    client.force_login(staff)
    response = client.post(CREATE, data(kind=""))
    assert response.context["form"].errors["kind"]


@pytest.mark.django_db
def test_staff_edit_a_lecturer(client, staff, lecturer):
    own = lecturer.lecturer
    client.force_login(staff)
    assert client.get(edit_url(own)).status_code == 200
    response = client.post(
        edit_url(own), data(full_name="Lê Thị Hồng", kind="full_time", active=None), follow=True
    )
    assert "Đã lưu thông tin giảng viên Lê Thị Hồng" in response.text
    own.refresh_from_db()
    assert own.kind == "full_time" and not own.active
    assert own.user == lecturer  # the login link is not touched by the form


@pytest.mark.django_db
def test_province_wide_admin_chooses_the_centre(client, superuser, other_centre):
    client.force_login(superuser)
    client.post(CREATE, data(centre=other_centre.pk))
    assert Lecturer.objects.get().centre == other_centre
