"""Merging a unit typed twice: trainees, enrolments and older merges move, the duplicate goes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hocvien.models import Trainee, Unit
from hocvien.units import unit_merge
from lophoc.models import Enrolment
from tests import builders


def merge_url(remove, keep=None):
    url = reverse("hocvien:unit_merge", args=[remove.pk])
    return f"{url}?giu={keep.pk}" if keep else url


@pytest.fixture
def pair(centre):
    keep = builders.make_unit(centre, name="Phường Phú Lợi", kind="ward")
    remove = builders.make_unit(
        centre, name="P. Phu Loi", kind="ward", address="Số 1 Lê Lợi", is_served_commune=True
    )
    return keep, remove


@pytest.mark.django_db
def test_merge_moves_trainees_enrolments_and_older_merges(centre, course, pair, staff):
    keep, remove = pair
    trainee = builders.make_trainee(centre, unit=remove)
    other = builders.make_trainee(centre, unit=keep)
    sent = builders.make_enrolment(course, trainee, unit=remove)
    kept = builders.make_enrolment(course, other, unit=keep)
    old = builders.make_unit(centre, name="Xã Cũ", merged_into=remove, active=False)

    unit_merge(keep=keep, remove=remove, user=staff)

    assert not Unit.objects.filter(pk=remove.pk).exists()
    trainee.refresh_from_db()
    sent.refresh_from_db()
    kept.refresh_from_db()
    old.refresh_from_db()
    assert trainee.unit == keep and sent.unit == keep and kept.unit == keep
    assert old.merged_into == keep
    keep.refresh_from_db()
    assert keep.address == "Số 1 Lê Lợi" and keep.is_served_commune
    assert sent.history.first().history_user == staff
    assert trainee.history.first().history_user == staff
    assert Unit.history.filter(id=remove.pk, history_type="-").get().history_user == staff


@pytest.mark.django_db
def test_units_of_different_centres_are_not_merged(centre, other_centre, staff):
    keep = builders.make_unit(centre)
    remove = builders.make_unit(other_centre)
    trainee = builders.make_trainee(other_centre, unit=remove)
    with pytest.raises(ValidationError) as refused:
        unit_merge(keep=keep, remove=remove, user=staff)
    assert "hai trung tâm khác nhau" in refused.value.messages[0]
    trainee.refresh_from_db()
    assert trainee.unit == remove


@pytest.mark.django_db
def test_a_unit_recorded_as_merged_into_the_duplicate_is_refused(centre, staff):
    remove = builders.make_unit(centre, name="Phường Mới")
    keep = builders.make_unit(centre, name="Xã Cũ", merged_into=remove, active=False)
    with pytest.raises(ValidationError) as refused:
        unit_merge(keep=keep, remove=remove, user=staff)
    assert "Xã Cũ đang được ghi là đã sáp nhập vào Phường Mới" in refused.value.messages[0]
    assert Unit.objects.count() == 2


@pytest.mark.django_db
def test_a_unit_is_not_merged_into_itself(centre, staff):
    unit = builders.make_unit(centre)
    with pytest.raises(ValidationError):
        unit_merge(keep=unit, remove=unit, user=staff)
    assert Unit.objects.filter(pk=unit.pk).exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, pair):
    keep, remove = pair
    assert client.post(merge_url(remove), {"giu": keep.pk})["Location"].startswith(reverse("login"))
    assert Unit.objects.count() == 2


@pytest.mark.parametrize(
    "role, status", [("official", 403), ("lecturer", 403), ("other_staff", 404)]
)
@pytest.mark.django_db
def test_only_staff_of_the_centre_merge(client, request, pair, role, status):
    keep, remove = pair
    client.force_login(request.getfixturevalue(role))
    assert client.get(merge_url(remove, keep)).status_code == status
    assert client.post(merge_url(remove), {"giu": keep.pk}).status_code == status
    assert Unit.objects.count() == 2


@pytest.mark.django_db
def test_the_page_explains_and_confirms_before_merging(client, staff, centre, course, pair):
    keep, remove = pair
    builders.make_enrolment(course, builders.make_trainee(centre, unit=remove), unit=remove)
    client.force_login(staff)
    choose = client.get(merge_url(remove))
    assert "cùng một đơn vị bị nhập hai lần" in choose.text
    assert "đã sáp nhập theo quyết định" in choose.text
    assert remove not in choose.context["form"].fields["keep"].queryset
    confirm = client.get(merge_url(remove, keep))
    assert confirm.context["keep"] == keep
    assert "Gộp và xóa đơn vị P. Phu Loi" in confirm.text
    assert "1 học viên và 1 lượt cử đi học chuyển sang" in confirm.text
    assert Unit.objects.count() == 2  # looking changes nothing


@pytest.mark.django_db
def test_posting_merges_and_says_so(client, staff, centre, course, pair):
    keep, remove = pair
    trainee = builders.make_trainee(centre, unit=remove)
    builders.make_enrolment(course, trainee, unit=remove)
    client.force_login(staff)
    response = client.post(merge_url(remove), {"giu": keep.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("hocvien:unit_detail", args=[keep.pk])
    assert "Đã gộp đơn vị P. Phu Loi vào Phường Phú Lợi" in response.text
    assert "chuyển 1 học viên và 1 lượt ghi danh" in response.text
    assert Trainee.objects.get().unit == keep
    assert Enrolment.objects.get().unit == keep


@pytest.mark.django_db
def test_a_unit_of_another_centre_cannot_be_chosen(client, staff, other_centre, pair):
    keep, remove = pair
    foreign = builders.make_unit(other_centre)
    client.force_login(staff)
    response = client.post(merge_url(remove), {"giu": foreign.pk}, follow=True)
    assert "Hãy chọn đơn vị giữ lại" in response.text
    assert Unit.objects.count() == 3


@pytest.mark.django_db
def test_a_refusal_is_shown_without_a_button(client, staff, centre):
    remove = builders.make_unit(centre, name="Phường Mới")
    keep = builders.make_unit(centre, name="Xã Cũ", merged_into=remove, active=False)
    client.force_login(staff)
    page = client.get(merge_url(remove, keep))
    assert "đang được ghi là đã sáp nhập" in page.text
    assert "Gộp và xóa đơn vị" not in page.text
    response = client.post(merge_url(remove), {"giu": keep.pk}, follow=True)
    assert "đang được ghi là đã sáp nhập" in response.text
    assert Unit.objects.count() == 2
