"""Codes are single-use and anonymous; the public form answers every miss alike and throttles."""

import datetime

import pytest
from django.db import models
from django.test import Client, override_settings
from django.utils import timezone

from danhgia import evaluations
from danhgia.models import EvaluationAnswer, EvaluationCode, EvaluationMark
from lophoc.models import CourseStatus, EnrolmentStatus
from lophoc.verification import is_well_formed, new_verification_code
from tests import builders
from tests.danhgia.helpers import evaluated_course, marks_for, post_data

URL = "/danh-gia/phieu/"


@pytest.fixture
def teacher(centre):
    return builders.make_lecturer(centre, full_name="Trần Văn Bình")


@pytest.fixture
def evaluated(centre, teacher):
    return evaluated_course(centre, lecturers=[teacher], enrolled=6)


def test_codes_match_active_enrolments_and_top_up_never_duplicates(evaluated):
    codes = evaluations.codes_top_up(course=evaluated)
    assert len(codes) == 6
    assert len({c.code for c in codes}) == 6
    builders.make_enrolment(evaluated)
    builders.make_enrolment(evaluated, status=EnrolmentStatus.WITHDRAWN)
    again = evaluations.codes_top_up(course=evaluated)
    assert len(again) == 7
    assert EvaluationCode.objects.filter(course=evaluated).count() == 7


def test_codes_refused_for_cancelled_or_empty_class(centre):
    cancelled = evaluated_course(centre, status=CourseStatus.CANCELLED, enrolled=2)
    empty = evaluated_course(centre, enrolled=0)
    for course, words in ((cancelled, "đã hủy"), (empty, "chưa có học viên đang học")):
        with pytest.raises(evaluations.EvaluationRefused) as refused:
            evaluations.codes_top_up(course=course)
        assert words in " ".join(refused.value.messages)
    assert not EvaluationCode.objects.exists()


def test_a_code_is_used_once_the_second_use_is_refused(evaluated):
    code = evaluations.codes_top_up(course=evaluated)[0].code
    evaluations.answer_submit(code=code, marks=marks_for(evaluated), comments="")
    with pytest.raises(evaluations.CodeRefused):
        evaluations.answer_submit(code=code, marks=marks_for(evaluated), comments="")
    assert EvaluationAnswer.objects.count() == 1
    assert EvaluationCode.objects.get(code=code).used
    assert EvaluationCode.objects.filter(course=evaluated, used=False).count() == 5


def test_concurrent_use_only_one_conditional_update_wins(evaluated, monkeypatch):
    """Two requests read the code as unused; the second's conditional UPDATE changes no row."""
    code = evaluations.codes_top_up(course=evaluated)[0].code
    real_filter = EvaluationCode.objects.filter

    def use_it_meanwhile(*args, **kwargs):
        queryset = real_filter(*args, **kwargs)
        if "pk" in kwargs:  # the conditional update: another request got there first
            real_filter(code=code).update(used=True)
        return queryset

    monkeypatch.setattr(EvaluationCode.objects, "filter", use_it_meanwhile)
    with pytest.raises(evaluations.CodeRefused):
        evaluations.answer_submit(code=code, marks=marks_for(evaluated), comments="")
    assert not EvaluationAnswer.objects.exists()


def test_the_answer_keeps_no_link_to_the_code(evaluated):
    field_names = {f.name for f in EvaluationAnswer._meta.get_fields()}
    assert not {"code", "created_at", "address", "enrolment", "trainee"} & field_names
    assert not hasattr(EvaluationAnswer, "history")
    assert not hasattr(EvaluationCode, "history")
    # A code keeps no day or time of its use: on a day with one answer it would pair with it.
    dated = (models.DateField, models.TimeField)  # DateTimeField is a DateField
    assert not [f.name for f in EvaluationCode._meta.concrete_fields if isinstance(f, dated)]


def test_public_form_shows_class_and_lecturer_blocks_only(client, evaluated, teacher):
    code = evaluations.codes_top_up(course=evaluated)[0].code
    response = client.get(URL, {"ma": code.lower()})
    text = response.content.decode()
    assert response.status_code == 200
    assert evaluated.name in text
    assert "Giảng viên Trần Văn Bình" in text
    assert evaluated.code not in text or evaluated.code in evaluated.name
    assert response["Cache-Control"] == "no-store"


def test_public_post_stores_one_answer_and_thanks(evaluated):
    client = Client(enforce_csrf_checks=True)
    code = evaluations.codes_top_up(course=evaluated)[0].code
    page = client.get(URL, {"ma": code})
    token = page.cookies["csrftoken"].value
    data = post_data(evaluated, code) | {"csrfmiddlewaretoken": token, "y_kien": "Rất bổ ích"}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "Cảm ơn" in response.content.decode()
    answer = EvaluationAnswer.objects.get()
    assert answer.course == evaluated and answer.comments == "Rất bổ ích"
    assert answer.marks.filter(value=4).count() == answer.marks.count() > 0
    # Replay: the same POST again is a miss, nothing more stored.
    again = client.post(URL, data)
    assert "không dùng được" in again.content.decode()
    assert EvaluationAnswer.objects.count() == 1


def _miss(client, value):
    response = client.get(URL, {"ma": value}) if value is not None else client.post(URL, {})
    return response.status_code, response.content.decode()


def test_used_unknown_and_malformed_codes_answer_alike(client, evaluated):
    used = evaluations.codes_top_up(course=evaluated)[0].code
    evaluations.answer_submit(code=used, marks=[], comments="Đã đánh giá.")
    answers = [_miss(client, used), _miss(client, "ABCDEFGH"), _miss(client, "12")]
    statuses = {status for status, _ in answers}
    assert statuses == {200}
    for _, text in answers:
        assert "Mã phiếu không dùng được" in text
        assert evaluated.name not in text
    # The error pages are the same bar the CSRF token.
    assert len({len(text) for _, text in answers}) <= 2


@override_settings(VERIFICATION_FAILURE_LIMIT=3)
def test_guesses_are_throttled_by_address(client, evaluated):
    good = evaluations.codes_top_up(course=evaluated)[0].code
    for _ in range(3):  # well formed, check character right, never printed: a guess
        client.get(URL, {"ma": new_verification_code()})
    response = client.get(URL, {"ma": good})
    assert response.status_code == 429
    assert evaluated.name not in response.content.decode()
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(URL, {"ma": good}).status_code == 200


@override_settings(VERIFICATION_FAILURE_LIMIT=3)
def test_typos_empty_boxes_and_used_codes_do_not_lock_a_classroom_out(client, evaluated):
    """Trainees share the hall's address: a mistyped code (its check character catches it), an
    empty box or a slip opened again after answering can never open a form, so they do not count."""
    first, good = (c.code for c in evaluations.codes_top_up(course=evaluated)[:2])
    evaluations.answer_submit(code=first, marks=[], comments="Đã đánh giá.")
    typo = good[:-1] + next(ch for ch in "ABCDEFGH" if ch != good[-1])
    assert not is_well_formed(typo)
    for _ in range(3):
        for value in (typo, "", "12", first):
            assert client.get(URL, {"ma": value}).status_code == 200
    empty = client.get(URL, {"ma": "  "}).content.decode()
    assert "Hãy nhập mã phiếu in trên phiếu" in empty and "không dùng được" not in empty
    response = client.get(URL, {"ma": good})
    assert response.status_code == 200 and evaluated.name in response.content.decode()


def test_crafted_post_cannot_rate_another_class_lecturer(client, centre, evaluated):
    stranger = builders.make_lecturer(centre, full_name="Người Ngoài")
    other = evaluated_course(centre, lecturers=[stranger])
    code = evaluations.codes_top_up(course=evaluated)[0].code
    data = post_data(evaluated, code)
    lecturer_question = next(k for k in data if "_gv_" in k)
    crafted = lecturer_question.rsplit("_gv_", 1)[0] + f"_gv_{stranger.pk}"
    data[crafted] = "1"
    data["lop"] = str(other.pk)
    client.post(URL, data)
    answer = EvaluationAnswer.objects.get()
    assert answer.course == evaluated
    assert not EvaluationMark.objects.filter(lecturer=stranger).exists()


def test_service_refuses_a_lecturer_not_of_the_class(centre, evaluated):
    stranger = builders.make_lecturer(centre, full_name="Người Ngoài")
    question = next(m.question for m in marks_for(evaluated) if m.lecturer)
    code = evaluations.codes_top_up(course=evaluated)[0].code
    with pytest.raises(evaluations.EvaluationRefused):
        evaluations.answer_submit(
            code=code, marks=[evaluations.MarkInput(question, stranger, 5)], comments=""
        )
    assert not EvaluationAnswer.objects.exists()
    assert not EvaluationCode.objects.get(code=code).used  # rolled back


def test_post_without_code_stores_nothing_and_asks_for_the_code(client, evaluated):
    response = client.post(URL, post_data(evaluated, "") | {"ma": ""})
    assert "Hãy nhập mã phiếu in trên phiếu" in response.content.decode()
    assert not EvaluationAnswer.objects.exists()


def test_closed_class_takes_answers_for_60_days_only(centre, client):
    today = timezone.localdate()
    late = evaluated_course(
        centre,
        status=CourseStatus.CLOSED,
        start_date=today - datetime.timedelta(days=90),
        end_date=today - datetime.timedelta(days=61),
    )
    code = evaluations.codes_top_up(course=late)[0].code
    response = client.get(URL, {"ma": code})
    assert "hết thời hạn" in response.content.decode()
    with pytest.raises(evaluations.EvaluationRefused):
        evaluations.answer_submit(code=code, marks=[], comments="Ý kiến.")
    assert not EvaluationCode.objects.get(code=code).used


def test_an_empty_form_is_refused_and_the_code_stays_usable(client, evaluated):
    code = evaluations.codes_top_up(course=evaluated)[0].code
    response = client.post(URL, {"ma": code, "y_kien": "  "})
    assert response.status_code == 200
    assert "Phiếu trống" in response.content.decode()
    assert not EvaluationAnswer.objects.exists()
    assert not EvaluationCode.objects.get(code=code).used
    client.post(URL, post_data(evaluated, code))
    assert EvaluationAnswer.objects.count() == 1
