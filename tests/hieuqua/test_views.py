"""The pages: a liaison answers for its unit family only, staff type a unit's letter, answers
change until staff close the follow-up; officials see totals only."""

import pytest
from django.urls import reverse

from hieuqua.models import FollowUpAnswer, FollowUpClosure, FollowUpSetting
from lophoc.models import EnrolmentStatus
from tests import builders
from tests.hieuqua.helpers import answer_all, answer_url, closed_class, due_end, form_data

pytestmark = pytest.mark.django_db


def _asked(course, unit):
    return list(course.enrolments.filter(unit=unit, status=EnrolmentStatus.ACTIVE))


def test_the_liaison_answers_for_its_unit(client, centre, ward, liaison):
    course = closed_class(centre, [ward], end_date=due_end())
    client.force_login(liaison)
    page = client.get(answer_url(course, ward))
    assert page.status_code == 200
    assert "Tốt" in page.content.decode() and "Chưa rõ" in page.content.decode()
    response = client.post(answer_url(course, ward), form_data(_asked(course, ward), "fair", "Ổn"))
    assert response.status_code == 302
    assert response.url == reverse("donvi:unit_page", args=[ward.pk])
    answers = FollowUpAnswer.objects.all()
    assert answers.count() == 2
    assert {(a.rating, a.note, a.from_letter, a.answered_by_id) for a in answers} == {
        ("fair", "Ổn", False, liaison.pk)
    }


def test_the_liaison_answers_for_a_unit_under_it_but_not_another(
    client, centre, ward, cell, agency, liaison
):
    course = closed_class(centre, [cell, agency], end_date=due_end())
    client.force_login(liaison)
    assert client.get(answer_url(course, cell)).status_code == 200
    assert client.get(answer_url(course, agency)).status_code == 404
    response = client.post(answer_url(course, agency), form_data(_asked(course, agency)))
    assert response.status_code == 404
    assert not FollowUpAnswer.objects.exists()


def test_a_crafted_post_naming_another_units_person_writes_nothing(
    client, centre, ward, agency, liaison
):
    course = closed_class(centre, [ward, agency], end_date=due_end())
    other_class = closed_class(centre, [ward], end_date=due_end())
    client.force_login(liaison)
    for foreign in (_asked(course, agency), _asked(other_class, ward)):
        data = form_data(_asked(course, ward)) | form_data(foreign)
        response = client.post(answer_url(course, ward), data)
        assert response.status_code == 200
        assert "không thuộc đơn vị hoặc lớp này" in response.content.decode()
    assert not FollowUpAnswer.objects.exists()


def test_a_missing_rating_writes_nothing_and_keeps_what_was_typed(client, centre, ward, liaison):
    course = closed_class(centre, [ward], end_date=due_end())
    first, second = _asked(course, ward)
    client.force_login(liaison)
    data = form_data([first], "good", "Ghi chú giữ lại") | {f"ghi_chu_{second.pk}": ""}
    response = client.post(answer_url(course, ward), data)
    assert response.status_code == 200
    assert "hãy chọn Tốt, Khá hoặc Chưa rõ" in response.content.decode()
    assert "Ghi chú giữ lại" in response.content.decode()
    assert not FollowUpAnswer.objects.exists()


def test_staff_type_the_units_letter(client, centre, ward, staff):
    course = closed_class(centre, [ward], end_date=due_end())
    client.force_login(staff)
    response = client.post(answer_url(course, ward), form_data(_asked(course, ward), "good"))
    assert response.status_code == 302
    assert response.url == reverse("hieuqua:course", args=[course.pk])
    assert set(FollowUpAnswer.objects.values_list("from_letter", "answered_by")) == {
        (True, staff.pk)
    }
    page = client.get(answer_url(course, ward)).content.decode()
    assert "Nhập từ văn bản của đơn vị" in page and staff.full_name in page


def test_answers_change_until_staff_close_the_follow_up(client, centre, ward, liaison, staff):
    course = closed_class(centre, [ward], end_date=due_end())
    asked = _asked(course, ward)
    client.force_login(liaison)
    client.post(answer_url(course, ward), form_data(asked, "good"))
    client.post(answer_url(course, ward), form_data(asked, "unclear"))
    assert set(FollowUpAnswer.objects.values_list("rating", flat=True)) == {"unclear"}

    client.force_login(staff)
    close = reverse("hieuqua:course_close", args=[course.pk])
    assert client.post(close, {"thao_tac": "dong"}).status_code == 302
    assert FollowUpClosure.objects.filter(course=course, closed_by=staff).exists()

    client.force_login(liaison)
    response = client.post(answer_url(course, ward), form_data(asked, "fair"))
    assert response.status_code == 302
    assert set(FollowUpAnswer.objects.values_list("rating", flat=True)) == {"unclear"}
    assert "đã đóng" in client.get(answer_url(course, ward)).content.decode()

    client.force_login(staff)
    client.post(close, {"thao_tac": "mo"})
    assert not FollowUpClosure.objects.exists()
    client.force_login(liaison)
    client.post(answer_url(course, ward), form_data(asked, "fair"))
    assert set(FollowUpAnswer.objects.values_list("rating", flat=True)) == {"fair"}


def test_a_class_not_yet_due_takes_no_answer(client, centre, ward, liaison):
    FollowUpSetting.objects.create(centre=centre, delay_months=6)
    course = closed_class(centre, [ward], end_date=due_end())  # 4 months < 6
    client.force_login(liaison)
    page = client.get(answer_url(course, ward)).content.decode()
    assert "Chưa đến hạn" in page
    client.post(answer_url(course, ward), form_data(_asked(course, ward)))
    assert not FollowUpAnswer.objects.exists()


def test_the_settings_page_refuses_values_outside_three_to_six(client, centre, staff):
    client.force_login(staff)
    url = reverse("hieuqua:settings")
    response = client.post(url, {"so_thang": "7"})
    assert response.status_code == 200
    assert "Số tháng phải từ 3 đến 6" in response.content.decode()
    assert not FollowUpSetting.objects.exists()
    assert client.post(url, {"so_thang": "5"}).status_code == 302
    assert FollowUpSetting.objects.get(centre=centre).delay_months == 5


def test_the_list_shows_due_classes_with_unit_counts(client, centre, ward, agency, staff):
    course = closed_class(centre, [ward, agency], end_date=due_end())
    answer_all(course, ward)
    client.force_login(staff)
    page = client.get(reverse("hieuqua:followup_list"))
    row = page.context["page_obj"].object_list[0]
    assert (row.units_asked, row.units_answered, row.units_waiting) == (2, 1, 1)
    assert (row.asked, row.answered) == (4, 2)
    assert course.code in page.content.decode()


def test_the_class_page_panel_shows_officials_totals_only(client, centre, ward, staff, official):
    course = closed_class(centre, [ward], end_date=due_end())
    answer_all(course, ward)
    url = reverse("lophoc:course_quality", args=[course.pk])
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "Đánh giá hiệu quả sau đào tạo" in page
    assert reverse("hieuqua:course", args=[course.pk]) in page
    client.force_login(official)
    page = client.get(url).content.decode()
    assert "Đơn vị đã trả lời: <strong>1/1</strong>" in page
    assert reverse("hieuqua:course", args=[course.pk]) not in page
    assert ward.name not in page.split('id="hieu-qua"')[1].split("</section>")[0]


def test_the_unit_page_lists_follow_ups_to_answer_and_answered(client, centre, ward, cell, liaison):
    waiting = closed_class(centre, [ward], end_date=due_end())
    done = closed_class(centre, [cell], end_date=due_end())
    answer_all(done, cell)
    client.force_login(liaison)
    page = client.get(reverse("donvi:unit_page", args=[ward.pk])).content.decode()
    assert "Đánh giá hiệu quả sau đào tạo" in page
    todo = page.split('id="hieu-qua-can-tra-loi"')[1].split("</ul>")[0]
    assert answer_url(waiting, ward) in todo and answer_url(done, cell) not in todo
    assert answer_url(done, cell) in page.split('id="hieu-qua-da-tra-loi"')[1]


def test_a_lecturer_sees_no_follow_up_on_the_class_page(client, centre, ward, lecturer):
    course = closed_class(centre, [ward], end_date=due_end())
    builders.make_session(course, lecturer=lecturer.lecturer)
    client.force_login(lecturer)
    page = client.get(reverse("lophoc:course_quality", args=[course.pk]))
    assert page.status_code == 200
    assert 'id="hieu-qua"' not in page.content.decode()
    assert client.get(reverse("hieuqua:course", args=[course.pk])).status_code == 403


def test_a_long_list_to_answer_shows_ten_and_folds_the_rest(client, centre, ward, liaison):
    """A commune with many sub-units and classes: the page stays readable on a phone."""
    waiting = [closed_class(centre, [ward], end_date=due_end()) for _ in range(12)]
    client.force_login(liaison)
    page = client.get(reverse("donvi:unit_page", args=[ward.pk])).content.decode()
    shown = page.split('id="hieu-qua-can-tra-loi"')[1].split("</ul>")[0]
    folded = page.split('id="hieu-qua-can-tra-loi-them"')[1].split("</details>")[0]
    assert shown.count("<li") == 10 and folded.count("<li") == 2
    assert "Xem thêm 2 lớp cần trả lời" in folded
    assert all(answer_url(course, ward) in shown + folded for course in waiting)
