"""The lesson plans' yearly figures: topics of the year's classes, approved (own or reused),
uploads and returns; a fixed number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from giaoan.plans import settings_save
from giaoan.yearly import lesson_plan_year
from lophoc.models import CourseStatus
from tests import builders
from tests.giaoan.helpers import approved_plan, make_topic, review_plan, upload_plan


def classes(centre, staff, leader, year, n):
    for i in range(n):
        course = builders.make_course(
            centre, start_date=datetime.date(year, 3, 1 + i), end_date=datetime.date(year, 3, 9)
        )
        approved_plan(make_topic(course, f"A{i}"), staff, leader)
        first = upload_plan(make_topic(course, f"B{i}", order=2), staff)
        review_plan(first, leader, approve=False, comment="Sửa")
        make_topic(course, f"C{i}", order=3)


def test_the_year_counts_topics_plans_and_returns(centre, staff, leader):
    classes(centre, staff, leader, 2026, 2)
    cancelled = builders.make_course(
        centre,
        start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 5, 2),
        status=CourseStatus.CANCELLED,
    )
    make_topic(cancelled, "X")
    figures = lesson_plan_year([centre.pk], 2026)
    assert (figures.topics, figures.approved, figures.versions, figures.returned) == (6, 2, 4, 2)
    assert figures.sentence().startswith("Giáo án: 2/6 chuyên đề của các lớp mở năm 2026")
    assert lesson_plan_year([centre.pk], 2025).topics == 0


def test_reused_plans_count_as_approved(centre, staff, leader):
    settings_save(centre=centre, reuse_approved=True)
    first = builders.make_course(
        centre, start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 1, 9)
    )
    later = builders.make_course(
        centre,
        program=first.program,
        start_date=datetime.date(2026, 6, 1),
        end_date=datetime.date(2026, 6, 5),
    )
    approved_plan(make_topic(first, "Chuyên đề 1"), staff, leader, reusable=True)
    make_topic(later, "Chuyên đề 1")
    figures = lesson_plan_year([centre.pk], 2026)
    assert (figures.topics, figures.approved, figures.reused) == (2, 2, 1)
    assert "1 dùng lại" in figures.sentence()


def test_a_fixed_number_of_queries(centre, staff, leader):
    classes(centre, staff, leader, 2026, 1)
    with CaptureQueriesContext(connection) as small:
        lesson_plan_year([centre.pk], 2026)
    classes(centre, staff, leader, 2026, 3)
    with CaptureQueriesContext(connection) as large:
        lesson_plan_year([centre.pk], 2026)
    assert len(small) == len(large) == 3
