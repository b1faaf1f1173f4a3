"""The yearly report on a centre of the test's own, not the full year test_yearly.py builds once
for its module: who signs without a director, and the content's fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.lophoc.certificate_helpers import make_leader
from tests.reports.yearly_helpers import YEAR, Year
from trungtam.models import LeaderRole
from trungtam.reports import yearly

pytestmark = pytest.mark.django_db


def test_a_deputy_in_charge_signs_when_there_is_no_director(centre):
    make_leader(centre, role=LeaderRole.DEPUTY_IN_CHARGE, full_name="Lê Thị Phó")
    report = yearly.report_for(centre, YEAR)
    assert (report.signer_title, report.signer_name) == ("PHÓ GIÁM ĐỐC PHỤ TRÁCH", "Lê Thị Phó")


def test_the_content_takes_a_fixed_number_of_queries(centre):
    built = Year(centre)
    built.plan()
    built.closed_class()

    def count():
        with CaptureQueriesContext(connection) as context:
            yearly.report_content(yearly.report_for(centre, YEAR))
        return len(context.captured_queries)

    small = count()
    for _ in range(2):
        built.closed_class()
    built.other_classes()
    assert count() == small
