"""History from day one: who, when, old and new value on the models that hold personal data and results."""

from decimal import Decimal

import pytest
from django.urls import reverse

from giangvien.models import Lecturer
from hocvien.models import Trainee
from lophoc.models import Certificate, Enrolment, Score
from tests import builders
from trungtam.models import Centre, User

TRACKED = [Trainee, Enrolment, Score, Certificate, Centre, User, Lecturer]


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m.__name__)
def test_model_has_history(model):
    assert hasattr(model, "history"), f"{model.__name__} keeps no history"


@pytest.mark.django_db
def test_score_change_keeps_who_when_old_and_new(course, staff):
    score = builders.make_score(
        builders.make_enrolment(course), builders.make_assessment(course), "6.5"
    )
    score._history_user = staff
    score.score = Decimal("7.25")
    score.save()
    newest, oldest = score.history.all()[:2]
    assert newest.history_user == staff
    assert newest.history_date >= oldest.history_date
    delta = newest.diff_against(oldest)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("score", Decimal("6.50"), Decimal("7.25"))
    ]


@pytest.mark.django_db
def test_changes_made_through_a_request_are_attributed_to_the_user(client, centre):
    from trungtam.models import Role

    superuser = builders.make_user(role=Role.ADMIN, centre=None, is_superuser=True)
    trainee = builders.make_trainee(centre, full_name="Lê Văn Cũ")
    client.force_login(superuser)
    data = {
        "full_name": "Lê Văn Mới",
        "date_of_birth": "17/05/1990",
        "gender": "M",
        "ethnicity": "Kinh",
        "centre": centre.pk,
    }
    url = reverse("admin:hocvien_trainee_change", args=[trainee.pk])
    form = client.get(url).context["adminform"].form
    payload = {name: form[name].value() or "" for name in form.fields}
    payload.update(data)
    payload = {k: v for k, v in payload.items() if v is not None}
    client.post(url, payload)
    trainee.refresh_from_db()
    assert trainee.full_name == "Lê Văn Mới"
    record = trainee.history.first()
    assert record.history_user == superuser
    assert record.prev_record.full_name == "Lê Văn Cũ"


@pytest.mark.django_db
def test_user_history_never_stores_password_hashes(staff):
    staff.set_password("Mot-mat-khau-khac")
    staff.save()
    assert not hasattr(staff.history.first(), "password")
