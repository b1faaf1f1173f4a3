"""Merging two records of the same person: everything moves, refusals leave nothing half-written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chieusinh.models import Call, CallAnswer, CallAnswerLine, CallStatus
from hocvien.models import Trainee
from hocvien.trainees import trainee_merge, trainee_merge_plan
from lophoc.models import Certificate, Enrolment
from tests import builders


def merge_url(remove, keep=None):
    url = reverse("hocvien:trainee_merge", args=[remove.pk])
    return f"{url}?giu={keep.pk}" if keep else url


def make_certificate(enrolment) -> Certificate:
    course = enrolment.course
    return Certificate.objects.create(
        centre=course.centre,
        enrolment=enrolment,
        course=course,
        year=2024,
        sequence=1,
        number="1-GCN/TTCT",
        register_number="1/2024",
        issued_on=course.end_date,
        verification_code="ABCD2345",
        signer_title="GIÁM ĐỐC",
        signer_name="Nguyễn Văn Giám",
        full_name=enrolment.trainee.full_name,
        date_of_birth=enrolment.trainee.date_of_birth,
        course_code=course.code,
        course_name=course.name,
        program_name=course.program.name,
        course_start=course.start_date,
        course_end=course.end_date,
    )


@pytest.fixture
def pair(centre):
    unit = builders.make_unit(centre, name="Phường Phú Lợi")
    keep = builders.make_trainee(centre, full_name="Nguyễn Văn An", unit=unit)
    remove = builders.make_trainee(
        centre,
        full_name="Nguyen Van An",
        national_id="001203004567",
        phone="0912 345 678",
        is_party_member=True,
        party_joined_on=datetime.date(2015, 2, 3),
        notes="Nhập từ danh sách năm 2024",
    )
    return keep, remove


# --- service --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_merge_moves_every_enrolment_and_fills_blank_fields(centre, pair, staff):
    keep, remove = pair
    old = builders.make_course(centre, start_date=datetime.date(2024, 4, 8))
    new = builders.make_course(centre, start_date=datetime.date(2026, 3, 2))
    moved = builders.make_enrolment(old, remove, final_score=Decimal("8.0"))
    cert = make_certificate(moved)
    kept = builders.make_enrolment(new, keep)

    result = trainee_merge(keep=keep, remove=remove, user=staff)

    assert result.pk == keep.pk
    assert not Trainee.objects.filter(pk=remove.pk).exists()
    assert set(keep.enrolments.values_list("pk", flat=True)) == {moved.pk, kept.pk}
    cert.refresh_from_db()
    assert cert.enrolment.trainee_id == keep.pk  # certificates follow their enrolment
    keep.refresh_from_db()
    assert keep.full_name == "Nguyễn Văn An"  # keep's own values win
    assert keep.unit.name == "Phường Phú Lợi"
    assert keep.national_id == "001203004567"  # blank fields come from the removed record
    assert keep.phone == "0912 345 678"
    assert keep.is_party_member and keep.party_joined_on == datetime.date(2015, 2, 3)
    assert "Nhập từ danh sách năm 2024" in keep.notes


@pytest.mark.django_db
def test_the_history_records_the_merge(centre, pair, staff):
    keep, remove = pair
    enrolment = builders.make_enrolment(builders.make_course(centre), remove)
    trainee_merge(keep=keep, remove=remove, user=staff)
    newest = keep.history.first()
    assert newest.history_user == staff
    assert f"mã {remove.pk}" in newest.history_change_reason
    gone = Trainee.history.filter(id=remove.pk).first()
    assert gone.history_type == "-" and gone.history_user == staff
    moved = enrolment.history.first()
    assert moved.trainee_id == keep.pk and moved.history_user == staff
    assert moved.history_change_reason.startswith("Gộp hồ sơ")


@pytest.mark.django_db
def test_both_in_the_same_class_is_refused_naming_the_class(centre, pair, staff):
    keep, remove = pair
    course = builders.make_course(centre, code="DVM-03/2026", name="Lớp đảng viên mới khóa 3")
    builders.make_enrolment(course, keep)
    builders.make_enrolment(course, remove)
    with pytest.raises(ValidationError) as refused:
        trainee_merge(keep=keep, remove=remove, user=staff)
    assert "DVM-03/2026 – Lớp đảng viên mới khóa 3" in refused.value.messages[0]
    assert Trainee.objects.filter(pk=remove.pk).exists()
    assert Enrolment.objects.filter(trainee=remove).count() == 1
    keep.refresh_from_db()
    assert keep.national_id is None


@pytest.mark.django_db
def test_records_of_different_centres_are_never_merged(centre, other_centre, staff):
    keep = builders.make_trainee(centre, full_name="Nguyễn Văn An")
    remove = builders.make_trainee(other_centre, full_name="Nguyễn Văn An")
    builders.make_enrolment(builders.make_course(other_centre), remove)
    with pytest.raises(ValidationError) as refused:
        trainee_merge(keep=keep, remove=remove, user=staff)
    assert "hai trung tâm khác nhau" in refused.value.messages[0]
    assert Enrolment.objects.get().trainee_id == remove.pk


@pytest.mark.django_db
def test_records_with_different_national_ids_are_refused(centre, staff):
    keep = builders.make_trainee(centre, national_id="001203004567")
    remove = builders.make_trainee(centre, national_id="001203004568")
    with pytest.raises(ValidationError) as refused:
        trainee_merge(keep=keep, remove=remove, user=staff)
    assert "số CCCD khác nhau" in refused.value.messages[0]
    assert Trainee.objects.count() == 2


@pytest.mark.django_db
def test_a_record_is_not_merged_into_itself(centre, staff):
    trainee = builders.make_trainee(centre)
    with pytest.raises(ValidationError):
        trainee_merge(keep=trainee, remove=trainee, user=staff)
    assert Trainee.objects.filter(pk=trainee.pk).exists()


@pytest.mark.django_db
def test_a_failure_late_in_the_merge_leaves_nothing_half_written(centre, staff):
    # A record stored before validation existed: the last step (checking keep) refuses it.
    keep = builders.make_trainee(centre, date_of_birth=datetime.date(1900, 1, 1))
    remove = builders.make_trainee(centre, national_id="001203004567")
    enrolment = builders.make_enrolment(builders.make_course(centre), remove)
    with pytest.raises(ValidationError):
        trainee_merge(keep=keep, remove=remove, user=staff)
    assert Trainee.objects.filter(pk=remove.pk).exists()
    enrolment.refresh_from_db()
    assert enrolment.trainee_id == remove.pk
    keep.refresh_from_db()
    assert keep.national_id is None


@pytest.mark.django_db
def test_the_plan_lists_what_moves_without_writing(centre, pair):
    keep, remove = pair
    builders.make_enrolment(builders.make_course(centre, code="KND-01/2024"), remove)
    plan = trainee_merge_plan(keep=keep, remove=remove)
    assert plan.allowed
    assert [e.course.code for e in plan.enrolments] == ["KND-01/2024"]
    assert ("Số CCCD", "001203004567") in plan.filled
    assert ("Đảng viên", "Có") in plan.filled
    assert Trainee.objects.filter(pk=remove.pk).exists()


# --- view -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, pair):
    keep, remove = pair
    assert client.get(merge_url(remove))["Location"].startswith(reverse("login"))
    assert client.post(merge_url(remove), {"giu": keep.pk}).status_code == 302
    assert Trainee.objects.filter(pk=remove.pk).exists()


@pytest.mark.parametrize(
    "role, status",
    [("official", 403), ("province_official", 403), ("lecturer", 403), ("other_staff", 404)],
)
@pytest.mark.django_db
def test_only_staff_of_the_centre_merge(client, request, pair, role, status):
    keep, remove = pair
    client.force_login(request.getfixturevalue(role))
    assert client.get(merge_url(remove, keep)).status_code == status
    assert client.post(merge_url(remove), {"giu": keep.pk}).status_code == status
    assert Trainee.objects.filter(pk=remove.pk).exists()


@pytest.mark.django_db
def test_the_page_proposes_records_with_the_same_name_and_searches(client, staff, centre, pair):
    keep, remove = pair
    builders.make_trainee(centre, full_name="Trần Văn Bình")
    client.force_login(staff)
    response = client.get(merge_url(remove))
    assert [c.pk for c in response.context["candidates"]] == [keep.pk]
    assert f'href="?giu={keep.pk}"' in response.text
    searched = client.get(merge_url(remove), {"q": "tran binh"})
    assert [c.full_name for c in searched.context["candidates"]] == ["Trần Văn Bình"]


@pytest.mark.django_db
def test_the_search_stays_within_the_centre(client, staff, other_centre, pair):
    keep, remove = pair
    stranger = builders.make_trainee(other_centre, full_name="Nguyen Van An")
    client.force_login(staff)
    response = client.get(merge_url(remove), {"q": "nguyen van an"})
    assert stranger.pk not in [c.pk for c in response.context["candidates"]]
    # Nor can a record of another centre be chosen through the address bar.
    assert client.get(merge_url(remove, stranger)).context["keep"] is None
    client.post(merge_url(remove), {"giu": stranger.pk})
    assert Trainee.objects.filter(pk__in=[remove.pk, stranger.pk]).count() == 2


@pytest.mark.django_db
def test_confirmation_shows_both_side_by_side_and_what_moves(client, staff, centre, pair):
    keep, remove = pair
    builders.make_enrolment(
        builders.make_course(centre, code="KND-01/2024", name="Lớp nhận thức khóa 1"), remove
    )
    client.force_login(staff)
    text = client.get(merge_url(remove, keep)).text
    assert "Giữ lại" in text and "Bị gộp rồi xóa" in text
    assert "Nguyễn Văn An" in text and "Nguyen Van An" in text
    assert "KND-01/2024 – Lớp nhận thức khóa 1" in text
    assert "Số CCCD: 001203004567" in text
    assert 'method="post"' in text
    assert Trainee.objects.filter(pk=remove.pk).exists()  # looking changes nothing


@pytest.mark.django_db
def test_posting_merges_and_says_so(client, staff, centre, pair):
    keep, remove = pair
    builders.make_enrolment(builders.make_course(centre), remove)
    client.force_login(staff)
    response = client.post(merge_url(remove), {"giu": keep.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("hocvien:trainee_detail", args=[keep.pk])
    assert "Đã gộp hồ sơ Nguyen Van An" in response.text
    assert "1 lượt ghi danh đã chuyển sang" in response.text
    assert not Trainee.objects.filter(pk=remove.pk).exists()
    assert keep.enrolments.count() == 1
    assert keep.history.first().history_user == staff


@pytest.mark.django_db
def test_a_refused_merge_shows_why_and_offers_no_button(client, staff, centre, pair):
    keep, remove = pair
    course = builders.make_course(centre, code="DVM-03/2026")
    builders.make_enrolment(course, keep)
    builders.make_enrolment(course, remove)
    client.force_login(staff)
    page = client.get(merge_url(remove, keep))
    assert "Không thể gộp hai hồ sơ này" in page.text and "DVM-03/2026" in page.text
    assert "Gộp và xóa hồ sơ" not in page.text
    response = client.post(merge_url(remove), {"giu": keep.pk}, follow=True)
    assert "DVM-03/2026" in response.text
    assert Trainee.objects.filter(pk=remove.pk).exists()


@pytest.mark.django_db
def test_posting_without_a_record_to_keep_asks_for_one(client, staff, pair):
    keep, remove = pair
    client.force_login(staff)
    response = client.post(merge_url(remove), {}, follow=True)
    assert "Hãy chọn hồ sơ giữ lại" in response.text
    assert Trainee.objects.filter(pk=remove.pk).exists()


@pytest.mark.django_db
def test_both_records_on_one_call_list_leave_one_line(centre, course, staff):
    unit = builders.make_unit(centre)
    keep = builders.make_trainee(centre, full_name="Lê Văn Tám", unit=unit)
    remove = builders.make_trainee(centre, full_name="Lê Văn Tám", unit=unit)
    call = Call.objects.create(
        centre=centre,
        course=course,
        deadline=datetime.date.today() + datetime.timedelta(days=10),
        status=CallStatus.PUBLISHED,
    )
    answer = CallAnswer.objects.create(call=call, unit=unit)
    kept = CallAnswerLine.objects.create(
        answer=answer, trainee=keep, unit=unit, skipped_reason="Đã có trong danh sách."
    )
    CallAnswerLine.objects.create(answer=answer, trainee=remove, unit=unit, enrolled=True)

    trainee_merge(keep=keep, remove=remove, user=staff)

    assert list(answer.lines.all()) == [kept]
    kept.refresh_from_db()
    assert kept.trainee == keep and kept.enrolled and kept.skipped_reason == ""
