"""Merging a unit typed twice: trainees, enrolments and older merges move, the duplicate goes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from chieusinh.models import Call, CallAnswer, CallAnswerLine, CallQuota, CallStatus
from hocvien.models import Trainee, Unit
from hocvien.units import unit_merge
from khaosat.models import Survey, SurveyAnswer, SurveyUnit
from lophoc.models import Enrolment
from tests import builders
from thongbao.models import Notification


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


# --- rows of the apps above that exist once per unit --------------------------------------------


def _call(course, *units):
    call = Call.objects.create(
        centre=course.centre,
        course=course,
        deadline=datetime.date.today() + datetime.timedelta(days=10),
        status=CallStatus.PUBLISHED,
    )
    for unit, quota in units:
        CallQuota.objects.create(call=call, unit=unit, quota=quota)
    return call


def _survey(centre, *units):
    survey = Survey.objects.create(centre=centre, year=2027, deadline=datetime.date(2026, 12, 1))
    for unit in units:
        SurveyUnit.objects.create(survey=survey, unit=unit)
    return survey


@pytest.mark.django_db
def test_rows_both_units_hold_once_are_settled_and_the_rest_moves(centre, course, pair, staff):
    keep, remove = pair
    Notification.objects.create(unit=keep, kind="call_opened", title="Chiêu sinh", key="call:1")
    Notification.objects.create(unit=remove, kind="call_opened", title="Chiêu sinh", key="call:1")
    only = Notification.objects.create(unit=remove, kind="call_opened", title="Khác", key="call:2")
    survey = _survey(centre, keep, remove)
    call = _call(course, (keep, 2), (remove, 3))
    answer = CallAnswer.objects.create(call=call, unit=remove)
    person = builders.make_trainee(centre, unit=remove)
    line = CallAnswerLine.objects.create(answer=answer, trainee=person, unit=remove)
    CallAnswer.objects.create(call=call, unit=keep)  # an empty draft: nothing to keep

    unit_merge(keep=keep, remove=remove, user=staff)

    assert Notification.objects.filter(unit=keep, key="call:1").count() == 1
    only.refresh_from_db()
    assert only.unit == keep
    assert list(SurveyUnit.objects.filter(survey=survey).values_list("unit", flat=True)) == [
        keep.pk
    ]
    assert CallQuota.objects.get(call=call).quota == 3
    answer.refresh_from_db()
    line.refresh_from_db()
    assert CallAnswer.objects.get(call=call) == answer and answer.unit == keep
    assert line.unit == keep


@pytest.mark.django_db
def test_both_units_having_answered_a_call_or_a_survey_is_refused(centre, course, pair, staff):
    keep, remove = pair
    Notification.objects.create(unit=remove, kind="call_opened", title="Chiêu sinh", key="call:1")
    survey = _survey(centre, keep, remove)
    for unit in (keep, remove):
        SurveyAnswer.objects.create(survey=survey, unit=unit, submitted_at=timezone.now())
    call = _call(course, (keep, 2), (remove, 2))
    for unit in (keep, remove):
        CallAnswer.objects.create(call=call, unit=unit, submitted_at=timezone.now())

    with pytest.raises(ValidationError) as refused:
        unit_merge(keep=keep, remove=remove, user=staff)

    assert refused.value.messages == [
        f"Hai đơn vị cùng đã trả lời thông báo chiêu sinh lớp {course.code} – {course.name}: hãy "
        "sửa thông báo chiêu sinh, bỏ chỉ tiêu của một trong hai đơn vị (danh sách của đơn vị đó "
        "bỏ theo; người cần cử thì thêm vào danh sách còn lại), rồi gộp.",
        "Hai đơn vị cùng đã trả lời khảo sát nhu cầu bồi dưỡng năm 2027: mỗi đơn vị chỉ có một "
        "phiếu cho một khảo sát nên không gộp được. Hãy để hai đơn vị riêng; số liệu của cả hai "
        "phiếu vẫn được cộng vào tổng hợp.",
    ]
    assert Unit.objects.filter(pk=remove.pk).exists()
    assert Notification.objects.get().unit == remove
    assert CallAnswer.objects.filter(unit=remove).exists()


@pytest.mark.django_db
def test_the_merge_page_shows_the_refusal_and_a_post_changes_nothing(
    client, centre, course, pair, staff
):
    keep, remove = pair
    call = _call(course, (keep, 2), (remove, 2))
    for unit in (keep, remove):
        CallAnswer.objects.create(call=call, unit=unit, submitted_at=timezone.now())
    client.force_login(staff)

    page = client.get(merge_url(remove, keep))
    assert "Hai đơn vị cùng đã trả lời thông báo chiêu sinh" in page.content.decode()
    answer = client.post(merge_url(remove), {"giu": keep.pk}, follow=True)

    assert answer.status_code == 200
    assert "Hai đơn vị cùng đã trả lời thông báo chiêu sinh" in answer.content.decode()
    assert Unit.objects.filter(pk=remove.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [1, 2])
def test_a_unit_is_not_merged_into_a_unit_under_it(centre, staff, depth):
    remove = builders.make_unit(centre, name="Đảng ủy xã Phú Lợi")
    keep = builders.make_unit(centre, name="Chi bộ ấp 1", parent=remove)
    if depth == 2:
        keep = builders.make_unit(centre, name="Tổ đảng ấp 1", parent=keep)

    with pytest.raises(ValidationError) as refused:
        unit_merge(keep=keep, remove=remove, user=staff)

    assert refused.value.messages[0].startswith(
        f"Đơn vị {keep.name} trực thuộc Đảng ủy xã Phú Lợi: không thể gộp một đơn vị vào đơn vị "
        "trực thuộc nó."
    )
    assert Unit.objects.filter(pk=remove.pk).exists()


@pytest.mark.django_db
def test_units_under_the_duplicate_move_under_the_unit_kept(centre, pair, staff):
    keep, remove = pair
    cell = builders.make_unit(centre, name="Chi bộ khu phố 2", parent=remove)

    unit_merge(keep=keep, remove=remove, user=staff)

    cell.refresh_from_db()
    assert cell.parent == keep
