"""Two people saving the same grade cell at the same moment from the same page (PostgreSQL).

Exactly one save wins; the other is shown the conflict and nothing of it is written.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

import lophoc.grading
from lophoc.models import CourseStatus, Score
from tests import builders
from trungtam.models import Role

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_lock(monkeypatch):
    """Hold the class lock a moment, so that the second save surely arrives while it is held."""
    lock = lophoc.grading._lock_course

    def held(course):
        locked = lock(course)
        time.sleep(0.3)
        return locked

    monkeypatch.setattr(lophoc.grading, "_lock_course", held)


def save_at_once(url, users, data_for):
    barrier = threading.Barrier(len(users))
    outcomes = {}

    def save(user):
        from django.db import connections

        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            response = client.post(url, data_for(user))
            if response.status_code == 302:
                outcomes[user.username] = "saved"
            elif "đã được người khác lưu" in response.content.decode():
                outcomes[user.username] = "conflict"
            else:
                outcomes[user.username] = f"unexpected {response.status_code}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("existing", [True, False], ids=["score-row", "new-cell"])
def test_two_saves_of_one_cell_one_wins_the_other_conflicts(slow_lock, existing):
    assert connection.vendor == "postgresql"
    centre = builders.make_centre()
    course = builders.make_course(centre, status=CourseStatus.GRADING)
    assessment = builders.make_assessment(course)
    first, second = builders.make_enrolment(course), builders.make_enrolment(course)
    if existing:
        builders.make_score(first, assessment, "7")
    users = [
        builders.make_user(role=Role.STAFF, centre=centre, username=f"canbo{i}") for i in (1, 2)
    ]
    values = {users[0].username: "8,5", users[1].username: "6"}

    def data_for(user):
        # Both loaded the same page (the same original value and version) and typed in the cell;
        # the second user also typed a score for another trainee, which must not be written.
        cell = f"{first.pk}_{assessment.pk}"
        data = {
            f"diem_{cell}": values[user.username],
            f"goc_{cell}": "7" if existing else "",
            f"pb_{cell}": "0",
        }
        if user == users[1]:
            data[f"diem_{second.pk}_{assessment.pk}"] = "9"
            data[f"goc_{second.pk}_{assessment.pk}"] = ""
            data[f"pb_{second.pk}_{assessment.pk}"] = "0"
        return data

    outcomes = save_at_once(reverse("lophoc:grade_grid", args=[course.pk]), users, data_for)

    assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    score = Score.objects.get(enrolment=first, assessment=assessment)
    assert score.score == Decimal(values[winner].replace(",", "."))
    assert score.version == 1 and score.updated_by.username == winner
    assert score.history.count() == (2 if existing else 1)
    assert score.history.first().history_user.username == winner
    second_written = Score.objects.filter(enrolment=second).exists()
    assert second_written == (winner == users[1].username)
