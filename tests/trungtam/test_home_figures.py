"""The home page and the dashboard count the same things (issue 14, item 11)."""

import datetime

import pytest
from django.urls import reverse

from lophoc.models import CourseStatus, EnrolmentStatus
from tests import builders
from trungtam.reports.figures import year_figures

pytestmark = pytest.mark.django_db


def test_home_figures_are_the_dashboards_for_the_same_year(client, staff, centre):
    today = datetime.date.today()
    year = today.year
    people = [builders.make_trainee(centre) for _ in range(4)]
    statuses = {
        CourseStatus.PLANNED: people[:1],  # not opened: its nominees are not counted yet
        CourseStatus.ENROLLING: people[:2],
        CourseStatus.IN_PROGRESS: people[1:4],  # the second person again: one person, two lượt
        CourseStatus.CLOSED: people[3:4],
        CourseStatus.CANCELLED: people,  # never counted
    }
    for status, trainees in statuses.items():
        course = builders.make_course(centre, status=status, start_date=datetime.date(year, 1, 5))
        for trainee in trainees:
            builders.make_enrolment(course, trainee=trainee)
    withdrawn = builders.make_course(
        centre, status=CourseStatus.IN_PROGRESS, start_date=datetime.date(year, 2, 2)
    )
    builders.make_enrolment(withdrawn, status=EnrolmentStatus.WITHDRAWN)

    client.force_login(staff)
    response = client.get(reverse("home"))
    home = response.context["figures"]
    dashboard = year_figures([centre.pk], year)

    assert home["course_count"] == dashboard.total.classes == 5
    assert home["enrolment_count"] == dashboard.total.enrolled == 7
    assert home["trainee_count"] == dashboard.people == 5
    # Each figure says what it counts.
    assert "không kể lớp đã hủy" in response.text
    assert "trong các lớp đã mở" in response.text
