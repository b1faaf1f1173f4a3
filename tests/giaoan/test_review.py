"""Reviewing a plan: approve, return with a comment, stale reviews refused, who may review."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from giaoan.models import LessonPlanVersion, PlanStatus
from giaoan.plans import ReviewRefused, version_review
from tests.giaoan.helpers import review_plan, upload_plan


def post_review(client, version, decision, comment="", number=None):
    return client.post(
        reverse("giaoan:review", args=[version.pk]),
        {
            "phien_ban": number if number is not None else version.number,
            "quyet_dinh": decision,
            "y_kien": comment,
        },
    )


def test_a_leader_approves_the_latest_version(client, leader, lecturer, teaching):
    version = upload_plan(teaching["mine"], lecturer)
    client.force_login(leader)
    response = post_review(client, version, "duyet")
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == PlanStatus.APPROVED
    assert version.reviewed_by == leader
    assert version.plan.status == PlanStatus.APPROVED


def test_returning_needs_a_comment_and_the_lecturer_reads_it(client, leader, lecturer, teaching):
    version = upload_plan(teaching["mine"], lecturer)
    client.force_login(leader)
    response = post_review(client, version, "tra_lai", "  ")
    assert response.status_code == 200
    assert "Hãy ghi ý kiến góp ý" in response.content.decode()
    version.refresh_from_db()
    assert version.status == PlanStatus.PENDING
    response = post_review(client, version, "tra_lai", "Bổ sung phần liên hệ thực tiễn.")
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == PlanStatus.RETURNED
    client.force_login(lecturer)
    page = client.get(reverse("giaoan:course_plans", args=[teaching["course"].pk]))
    assert "Bổ sung phần liên hệ thực tiễn." in page.content.decode()
    upload = client.get(reverse("giaoan:upload", args=[teaching["mine"].pk]))
    assert "Bổ sung phần liên hệ thực tiễn." in upload.content.decode()


def test_a_stale_review_is_refused(client, leader, lecturer, teaching):
    first = upload_plan(teaching["mine"], lecturer)
    client.force_login(leader)
    page = client.get(reverse("giaoan:review", args=[first.pk]))
    assert page.status_code == 200
    second = upload_plan(teaching["mine"], lecturer)  # uploaded while the leader reads
    response = post_review(client, first, "duyet", number=1)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PlanStatus.PENDING and second.status == PlanStatus.PENDING
    # The posted number counts too: a form of version 1 posted against version 2's page.
    response = post_review(client, second, "duyet", number=1)
    second.refresh_from_db()
    assert second.status == PlanStatus.PENDING
    follow = client.get(response["Location"])
    assert "vừa có phiên bản mới" in follow.content.decode()


def test_a_reviewed_version_is_not_reviewed_twice(leader, lecturer, teaching):
    version = review_plan(upload_plan(teaching["mine"], lecturer), leader, approve=True)
    with pytest.raises(ReviewRefused):
        review_plan(version, leader, approve=False, comment="Thôi")


def test_plain_staff_and_lecturers_do_not_review(client, staff, lecturer, teaching):
    version = upload_plan(teaching["mine"], lecturer)
    for user in (staff, lecturer):
        client.force_login(user)
        assert client.get(reverse("giaoan:review", args=[version.pk])).status_code == 403
        assert post_review(client, version, "duyet").status_code == 403
    with pytest.raises(PermissionDenied):
        version_review(version=version, posted_number=1, approve=True, comment="", user=staff)
    assert LessonPlanVersion.objects.get().status == PlanStatus.PENDING


def test_the_queue_lists_waiting_plans_oldest_first(client, leader, lecturer, staff, teaching):
    upload_plan(teaching["mine"], lecturer)
    upload_plan(teaching["theirs"], staff)
    client.force_login(leader)
    page = client.get(reverse("giaoan:queue")).content.decode()
    assert page.index(teaching["mine"].title) < page.index(teaching["theirs"].title)
    assert "Duyệt" in page
