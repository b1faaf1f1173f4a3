"""Fixed query counts: the same number of queries at N and 3N units, people and classes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hieuqua.followups import unit_followups
from hieuqua.yearly import followup_year
from hocvien.units import unit_family
from tests import builders
from tests.hieuqua.helpers import answer_all, answer_url, closed_class, due_end
from trungtam.models import Centre

pytestmark = pytest.mark.django_db


def _world(centre, ward, n):
    """n classes, each with people of the ward and of n other units, half of them answered."""
    courses = []
    units = [ward] + [builders.make_unit(centre) for _ in range(n)]
    for _ in range(n):
        course = closed_class(centre, units, per_unit=n, end_date=due_end())
        for unit in units[::2]:
            answer_all(course, unit)
        courses.append(course)
    return courses


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["list", "course", "answer", "panel", "unit_page"])
def test_pages_run_a_fixed_number_of_queries(client, centre, ward, staff, liaison, page):
    counts = []
    for n in (1, 3):
        courses = _world(centre, ward, n)
        course = courses[0]
        user = liaison if page in ("answer", "unit_page") else staff
        client.force_login(user)
        url = {
            "list": reverse("hieuqua:followup_list"),
            "course": reverse("hieuqua:course", args=[course.pk]),
            "answer": answer_url(course, ward),
            "panel": reverse("lophoc:course_quality", args=[course.pk]),
            "unit_page": reverse("donvi:unit_page", args=[ward.pk]),
        }[page]
        _count(client, url)  # warm the session and caches
        counts.append(_count(client, url))
    assert counts[0] == counts[1]


def test_services_run_a_fixed_number_of_queries(centre, ward):
    counts = []
    for n in (1, 3):
        _world(centre, ward, n)
        with CaptureQueriesContext(connection) as year:
            followup_year([centre.pk], due_end().year)
        fresh = Centre.objects.get(pk=centre.pk)  # its follow-up setting not loaded yet
        with CaptureQueriesContext(connection) as unit:
            unit_followups(unit_family(ward), fresh, due_end().replace(year=due_end().year + 1))
        counts.append((len(year), len(unit)))
    assert counts == [(2, 2), (2, 2)]
