"""Creating and correcting a trainee: validation messages that say what to type, history kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hocvien.models import Trainee
from tests import builders

CREATE = reverse("hocvien:trainee_create")


def edit_url(trainee):
    return reverse("hocvien:trainee_edit", args=[trainee.pk])


def data(**overrides) -> dict:
    values = {
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "17/05/1990",
        "gender": "M",
        "national_id": "",
        "ethnicity": "Kinh",
        "phone": "",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def errors(response, field) -> str:
    return " ".join(response.context["form"].errors.get(field, []))


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    assert client.get(CREATE)["Location"].startswith(reverse("login"))
    assert client.post(CREATE, data())["Location"].startswith(reverse("login"))
    assert not Trainee.objects.exists()


@pytest.mark.parametrize("role", ["official", "province_official", "lecturer"])
@pytest.mark.django_db
def test_read_only_roles_cannot_create_or_edit(client, request, centre, role):
    trainee = builders.make_trainee(centre, full_name="Nguyễn Văn An")
    client.force_login(request.getfixturevalue(role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, data(full_name="Lê Văn Mới")).status_code == 403
    assert client.get(edit_url(trainee)).status_code == 403
    assert client.post(edit_url(trainee), data(full_name="Lê Văn Sửa")).status_code == 403
    trainee.refresh_from_db()
    assert trainee.full_name == "Nguyễn Văn An"
    assert Trainee.objects.count() == 1


@pytest.mark.django_db
def test_other_centres_records_are_404(client, other_staff, centre):
    trainee = builders.make_trainee(centre)
    client.force_login(other_staff)
    assert client.get(edit_url(trainee)).status_code == 404
    assert client.post(edit_url(trainee), data()).status_code == 404


@pytest.mark.django_db
def test_staff_create_a_trainee_in_their_centre(client, staff, centre):
    unit = builders.make_unit(centre, name="Phường Phú Lợi")
    client.force_login(staff)
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE,
        data(national_id="0012 0300 4567", unit=unit.pk, phone="+84 912 345 678"),
        follow=True,
    )
    trainee = Trainee.objects.get()
    assert response.redirect_chain[-1][0] == reverse("hocvien:trainee_detail", args=[trainee.pk])
    assert "Đã thêm học viên Nguyễn Văn An" in response.text
    assert trainee.centre == centre and trainee.unit == unit
    assert trainee.national_id == "001203004567"
    assert trainee.history.first().history_user == staff


@pytest.mark.django_db
def test_dates_are_read_day_first(client, staff, centre):
    client.force_login(staff)
    client.post(CREATE, data(date_of_birth="05/03/1990"))
    assert Trainee.objects.get().date_of_birth == datetime.date(1990, 3, 5)


@pytest.mark.parametrize(
    "value, message",
    [
        ("0012030045", "phải gồm đúng 12 chữ số; bạn đã nhập 10 chữ số"),
        ("00120300456X", "chỉ gồm chữ số"),
        ("0012030045678", "bạn đã nhập 13 chữ số"),
    ],
)
@pytest.mark.django_db
def test_a_bad_national_id_says_what_to_type(client, staff, value, message):
    client.force_login(staff)
    response = client.post(CREATE, data(national_id=value, full_name="Lê Thị Giữ"))
    assert response.status_code == 200
    assert message in errors(response, "national_id")
    assert not Trainee.objects.exists()
    # The form keeps what was typed.
    assert response.context["form"]["full_name"].value() == "Lê Thị Giữ"
    assert value in response.text


@pytest.mark.django_db
def test_a_national_id_already_used_names_the_other_record(client, staff, centre, other_centre):
    builders.make_trainee(
        centre,
        full_name="Trần Văn Bình",
        national_id="001203004567",
        date_of_birth=datetime.date(1985, 1, 2),
    )
    builders.make_trainee(other_centre, full_name="Lê Văn Khác", national_id="079188000111")
    client.force_login(staff)
    response = client.post(CREATE, data(national_id="001203004567"))
    message = errors(response, "national_id")
    assert "đã thuộc học viên Trần Văn Bình" in message and "02/01/1985" in message
    # The same number in another centre is another centre's business.
    response = client.post(CREATE, data(national_id="079188000111"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "dob, message",
    [
        ("future", "Ngày sinh không được ở tương lai."),
        ("child", "Ngày sinh cho tuổi 10: tuổi học viên phải từ 15 đến 100; hãy kiểm tra lại."),
        ("31/02/1990", "Hãy nhập ngày theo dạng ngày/tháng/năm"),
        ("1990-13-45", "Hãy nhập ngày theo dạng ngày/tháng/năm"),
    ],
)
@pytest.mark.django_db
def test_date_of_birth_must_be_sensible(client, staff, dob, message):
    today = timezone.localdate()
    if dob == "future":
        dob = (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    elif dob == "child":
        dob = today.replace(year=today.year - 10).strftime("%d/%m/%Y")
    client.force_login(staff)
    response = client.post(CREATE, data(date_of_birth=dob))
    assert message in errors(response, "date_of_birth")
    assert not Trainee.objects.exists()


@pytest.mark.django_db
def test_a_bad_phone_number_says_what_to_type(client, staff):
    client.force_login(staff)
    response = client.post(CREATE, data(phone="09xx-123"))
    assert "chỉ gồm chữ số, dấu + và khoảng trắng" in errors(response, "phone")


@pytest.mark.django_db
def test_party_dates_are_checked(client, staff):
    client.force_login(staff)
    response = client.post(CREATE, data(party_joined_on="01/01/1980", is_party_member="on"))
    assert "Ngày vào Đảng không thể trước ngày sinh." in errors(response, "party_joined_on")
    response = client.post(CREATE, data(party_joined_on="01/01/2015"))
    assert "hãy đánh dấu «Đảng viên»" in errors(response, "is_party_member")
    assert not Trainee.objects.exists()


@pytest.mark.django_db
def test_a_unit_of_another_centre_cannot_be_chosen(client, staff, other_centre):
    foreign = builders.make_unit(other_centre)
    client.force_login(staff)
    response = client.post(CREATE, data(unit=foreign.pk))
    assert response.status_code == 200 and errors(response, "unit")


@pytest.mark.django_db
def test_province_wide_admin_chooses_the_centre(client, superuser, other_centre):
    client.force_login(superuser)
    page = client.get(CREATE)
    assert "centre" in page.context["form"].fields
    client.post(CREATE, data(centre=other_centre.pk, national_id="001203004567"))
    assert Trainee.objects.get().centre == other_centre


@pytest.mark.django_db
def test_staff_correct_a_record_and_the_history_says_who(client, staff, centre):
    trainee = builders.make_trainee(centre, full_name="Nguyễn Văn Ann", national_id="001203004567")
    client.force_login(staff)
    page = client.get(edit_url(trainee))
    assert page.status_code == 200
    assert page.context["form"]["date_of_birth"].value() == datetime.date(1990, 5, 17)
    assert "17/05/1990" in page.text
    # Keeping its own national ID is not a duplicate.
    response = client.post(
        edit_url(trainee), data(full_name="Nguyễn Văn An", national_id="001203004567"), follow=True
    )
    assert "Đã lưu hồ sơ học viên Nguyễn Văn An" in response.text
    trainee.refresh_from_db()
    assert trainee.full_name == "Nguyễn Văn An"
    assert trainee.search_key == "nguyen van an"
    newest, previous = trainee.history.all()[:2]
    assert newest.history_user == staff
    assert [c.field for c in newest.diff_against(previous).changes] == ["full_name"]


@pytest.mark.django_db
def test_clearing_the_national_id_stores_none(client, staff, centre):
    trainee = builders.make_trainee(centre, national_id="001203004567")
    builders.make_trainee(centre, national_id=None)
    client.force_login(staff)
    client.post(edit_url(trainee), data(national_id="  "))
    trainee.refresh_from_db()
    assert trainee.national_id is None
