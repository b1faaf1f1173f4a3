"""The calls' services: saving with its checks, publishing, the unit's list, accepting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chieusinh import accepting, answers
from chieusinh.calls import (
    QuotaRow,
    call_close,
    call_publish,
    call_save,
    open_calls_for,
    quota_statuses,
)
from chieusinh.models import Call, CallAnswer, CallQuota, CallStatus
from lophoc.models import Enrolment
from lophoc.nominee_import import NomineeRow
from tests import builders
from tests.chieusinh.helpers import future_course, make_call, make_liaison
from thongbao.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def test_it_refuses_bad_quota_tables_with_row_numbers(centre, other_centre):
    course = future_course(centre, capacity=10)
    a, b = builders.make_unit(centre), builders.make_unit(centre)
    stranger = builders.make_unit(other_centre, name="Xã Bình Mỹ")
    call = Call(course=course, deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        call_save(
            call=call,
            quotas=[
                QuotaRow(1, a, 6),
                QuotaRow(2, stranger, 2),
                QuotaRow(3, a, 3),
                QuotaRow(4, b, 2),
            ],
        )
    text = " ".join(error.value.messages)
    assert "đã qua" in text
    assert "Dòng 2: đơn vị «Xã Bình Mỹ» không thuộc trung tâm" in text
    assert "Dòng 3" in text and "đã có ở dòng 1" in text
    assert "Tổng chỉ tiêu (13) vượt sĩ số tối đa của lớp (10)" in text
    assert not Call.objects.exists() and not CallQuota.objects.exists()


def test_it_refuses_a_deadline_after_the_class_starts(centre):
    course = future_course(centre)
    call = Call(course=course, deadline=course.start_date + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="trước ngày khai giảng"):
        call_save(call=call, quotas=[QuotaRow(1, builders.make_unit(centre), 2)])


def test_publishing_notifies_each_unit_once(centre, staff):
    course = future_course(centre)
    a, b = builders.make_unit(centre), builders.make_unit(centre)
    call = make_call(course, [(a, 2), (b, 3)], user=staff)
    notes = Notification.objects.filter(kind=NotificationKind.CALL_OPENED)
    assert {n.unit_id for n in notes} == {a.pk, b.pk}
    assert all(f"/chieu-sinh/{call.pk}/tra-loi/" in n.link for n in notes)
    # One open call per class.
    with pytest.raises(ValidationError, match="đã có một thông báo chiêu sinh"):
        make_call(course, [(a, 1)], user=staff)


def test_a_unit_picks_only_its_own_people(centre):
    course = future_course(centre)
    unit, other = builders.make_unit(centre), builders.make_unit(centre)
    cell = builders.make_unit(centre, parent=unit)
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 2), (other, 2)])
    quota = CallQuota.objects.get(call=call, unit=unit)
    own = builders.make_trainee(centre, unit=cell)
    stranger = builders.make_trainee(centre, unit=other)
    answers.line_add_trainee(quota=quota, trainee_id=own.pk, user=liaison)
    with pytest.raises(ValidationError, match="không có trong hồ sơ của đơn vị"):
        answers.line_add_trainee(quota=quota, trainee_id=stranger.pk, user=liaison)
    assert CallAnswer.objects.get(call=call, unit=unit).lines.count() == 1
    assert list(open_calls_for(liaison)) == [call]


def test_a_unit_cannot_go_above_its_quota_or_after_the_deadline(centre):
    course = future_course(centre)
    unit = builders.make_unit(centre)
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 1)])
    quota = CallQuota.objects.get(call=call)
    first, second = (
        builders.make_trainee(centre, unit=unit),
        builders.make_trainee(centre, unit=unit),
    )
    answers.line_add_trainee(quota=quota, trainee_id=first.pk, user=liaison)
    with pytest.raises(ValidationError, match="Chỉ tiêu của đơn vị là 1 người"):
        answers.line_add_trainee(quota=quota, trainee_id=second.pk, user=liaison)
    later = call.deadline + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="Đã quá hạn gửi danh sách"):
        answers.answer_submit(quota=quota, user=liaison, today=later)
    assert CallAnswer.objects.get(call=call).submitted_at is None
    assert open_calls_for(liaison).count() == 1


def test_accepting_enrols_people_and_says_who_was_skipped(centre, staff):
    course = future_course(centre, capacity=4)
    unit, other = builders.make_unit(centre), builders.make_unit(centre)
    liaison, other_liaison = make_liaison(unit), make_liaison(other, "donvi2")
    call = make_call(course, [(unit, 2), (other, 1)])
    inside = builders.make_trainee(centre, unit=unit, full_name="Trần Thị Bình")
    already = builders.make_trainee(centre, unit=other, full_name="Lê Văn Cường")
    builders.make_enrolment(course, trainee=builders.make_trainee(centre))
    q1 = CallQuota.objects.get(call=call, unit=unit)
    q2 = CallQuota.objects.get(call=call, unit=other)
    answers.line_add_trainee(quota=q1, trainee_id=inside.pk, user=liaison)
    answers.line_add_new(
        quota=q1,
        unit=unit,
        values={
            "full_name": "Phạm Thị Dung",
            "date_of_birth": datetime.date(1995, 2, 3),
            "gender": "F",
            "national_id": "001195000123",
        },
        user=liaison,
    )
    answers.line_add_trainee(quota=q2, trainee_id=already.pk, user=other_liaison)
    for quota, user in ((q1, liaison), (q2, other_liaison)):
        answers.answer_submit(quota=quota, user=user)
    # Someone enrols a person before the centre accepts: skipped, with the reason.
    builders.make_enrolment(course, trainee=already, unit=other)

    result = accepting.call_accept(call=call, user=staff)

    enrolled = Enrolment.objects.filter(course=course)
    assert enrolled.count() == 4
    new = enrolled.get(trainee__full_name="Phạm Thị Dung")
    assert new.unit == unit and new.trainee.national_id == "001195000123"
    assert enrolled.get(trainee=inside).unit == unit
    assert len(result.enrolled) == 2 and len(result.skipped) == 1
    assert "đã có trong lớp" in result.skipped[0][1]
    assert "ghi danh 2 học viên" in result.summary
    statuses = {s.unit.pk: s.standing for s in quota_statuses(call)}
    assert statuses == {unit.pk: "Trung tâm đã nhận", other.pk: "Trung tâm đã nhận"}
    with pytest.raises(ValidationError, match="Trung tâm đã nhận"):
        answers.line_remove(quota=q1, line_id=1, user=liaison)


def test_accepting_skips_people_beyond_capacity(centre, staff):
    course = future_course(centre, capacity=1)
    unit = builders.make_unit(centre)
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 1)])
    course.capacity = 1
    quota = CallQuota.objects.get(call=call)
    builders.make_enrolment(course, trainee=builders.make_trainee(centre))
    answers.line_add_trainee(
        quota=quota, trainee_id=builders.make_trainee(centre, unit=unit).pk, user=liaison
    )
    answers.answer_submit(quota=quota, user=liaison)
    result = accepting.call_accept(call=call, user=staff)
    assert result.enrolled == [] and "đủ sĩ số" in result.skipped[0][1]
    assert Enrolment.objects.filter(course=course).count() == 1


def test_saving_a_stale_call_keeps_a_publish_or_close_made_meanwhile(centre, staff):
    course = future_course(centre)
    unit, added = builders.make_unit(centre), builders.make_unit(centre)
    call = make_call(course, [(unit, 2)], publish=False)
    stale = Call.objects.get(pk=call.pk)  # the edit form's copy, read before the publish
    call_publish(call=call, user=staff)
    stale.deadline = call.deadline - datetime.timedelta(days=1)
    stale.note = "Đổi hạn."
    call_save(call=stale, quotas=[QuotaRow(1, unit, 2), QuotaRow(2, added, 1)], user=staff)
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED and call.published_by == staff
    assert call.note == "Đổi hạn." and call.deadline == stale.deadline
    # The unit added to a call published meanwhile is told, like any unit added to it.
    notes = Notification.objects.filter(kind=NotificationKind.CALL_OPENED, unit=added)
    assert notes.count() == 1

    call_close(call=call)
    stale.note = "Sửa sau khi đóng."
    with pytest.raises(ValidationError, match="đã đóng"):
        call_save(call=stale, quotas=[QuotaRow(1, unit, 2)], user=staff)
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED and call.note == "Đổi hạn."


def test_the_total_quota_fits_the_seats_left_in_the_class(centre):
    course = future_course(centre, capacity=5)
    unit = builders.make_unit(centre)
    for _ in range(2):
        builders.make_enrolment(course, trainee=builders.make_trainee(centre))
    call = Call(course=course, deadline=timezone.localdate() + datetime.timedelta(days=5))
    with pytest.raises(ValidationError) as error:
        call_save(call=call, quotas=[QuotaRow(1, unit, 4)])
    assert (
        "Tổng chỉ tiêu (4) vượt số chỗ còn lại của lớp (3): sĩ số tối đa 5, đã có 2 học viên "
        "đang học" in " ".join(error.value.messages)
    )
    assert not Call.objects.exists()
    call_save(call=call, quotas=[QuotaRow(1, unit, 3)])
    assert CallQuota.objects.get().quota == 3


def test_the_people_a_call_enrolled_are_not_counted_twice_when_it_is_edited(centre, staff):
    course = future_course(centre, capacity=4)
    unit, late = builders.make_unit(centre), builders.make_unit(centre)
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 2), (late, 1)])
    builders.make_enrolment(course, trainee=builders.make_trainee(centre))  # not from the call
    quota = CallQuota.objects.get(call=call, unit=unit)
    for _ in range(2):
        person = builders.make_trainee(centre, unit=unit)
        answers.line_add_trainee(quota=quota, trainee_id=person.pk, user=liaison)
    answers.answer_submit(quota=quota, user=liaison)
    accepting.call_accept(call=call, user=staff)
    assert Enrolment.objects.filter(course=course).count() == 3
    call_save(call=call, quotas=[QuotaRow(1, unit, 2), QuotaRow(2, late, 1)], user=staff)
    with pytest.raises(
        ValidationError, match=r"vượt số chỗ còn lại của lớp \(3\): sĩ số tối đa 4, đã có 1 học"
    ):
        call_save(call=call, quotas=[QuotaRow(1, unit, 2), QuotaRow(2, late, 2)], user=staff)


def test_an_excel_row_with_another_units_cccd_reads_as_a_new_person(centre):
    course = future_course(centre)
    unit, other = builders.make_unit(centre), builders.make_unit(centre)
    call = make_call(course, [(unit, 2), (other, 2)])
    builders.make_trainee(centre, unit=other, national_id="001090000777")
    quota = CallQuota.objects.select_related("call", "unit").get(call=call, unit=unit)
    rows = [
        NomineeRow(
            row=n,
            full_name=name,
            date_of_birth=datetime.date(1990, 1, 1),
            gender="M",
            national_id=cccd,
        )
        for n, name, cccd in ((2, "Người Một", "001090000777"), (3, "Người Hai", "001090000888"))
    ]
    plan = answers.file_plan(quota=quota, rows=rows)
    assert plan.ok and plan.known == set()
    assert [(line.trainee_id, line.national_id) for line in plan.lines] == [
        (None, "001090000777"),
        (None, "001090000888"),
    ]
