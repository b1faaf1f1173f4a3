"""Who reaches which plan: the lecturer of another class (404), of another topic (403),
officials (403), unit liaisons (404)."""

from django.urls import reverse

from lophoc.models import CourseStatus
from tests import builders
from tests.giaoan.helpers import make_topic, upload_plan
from trungtam.models import Role


def test_a_lecturer_of_another_class_finds_nothing(client, centre, lecturer, teaching, today):
    other_user = builders.make_user(role=Role.LECTURER, centre=centre, username="gv_khac")
    other = builders.make_lecturer(centre, user=other_user, full_name="Phạm Văn Khác")
    elsewhere = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
    topic = make_topic(elsewhere)
    builders.make_session(elsewhere, topic=topic, lecturer=other, date=today)
    version = upload_plan(teaching["mine"], lecturer)
    client.force_login(other_user)
    assert (
        client.get(reverse("giaoan:course_plans", args=[teaching["course"].pk])).status_code == 404
    )
    assert client.get(reverse("giaoan:upload", args=[teaching["mine"].pk])).status_code == 404
    assert client.get(reverse("giaoan:download", args=[version.pk])).status_code == 404
    assert client.get(reverse("giaoan:review", args=[version.pk])).status_code == 404


def test_a_lecturer_sees_only_own_topics_in_a_class_they_teach(client, lecturer, staff, teaching):
    theirs = upload_plan(teaching["theirs"], staff)
    client.force_login(lecturer)
    page = client.get(reverse("giaoan:course_plans", args=[teaching["course"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert teaching["mine"].title in text and teaching["theirs"].title not in text
    assert client.get(reverse("giaoan:upload", args=[teaching["theirs"].pk])).status_code == 403
    assert client.get(reverse("giaoan:download", args=[theirs.pk])).status_code == 403


def test_officials_and_liaisons_read_no_plan(client, centre, official, lecturer, teaching):
    version = upload_plan(teaching["mine"], lecturer)
    unit = builders.make_unit(centre)
    liaison = builders.make_liaison(unit)
    client.force_login(official)
    for url in (
        reverse("giaoan:course_plans", args=[teaching["course"].pk]),
        reverse("giaoan:download", args=[version.pk]),
        reverse("giaoan:queue"),
    ):
        assert client.get(url).status_code == 403
    client.force_login(liaison)
    assert client.get(reverse("giaoan:download", args=[version.pk])).status_code == 404
    assert (
        client.get(reverse("giaoan:course_plans", args=[teaching["course"].pk])).status_code == 404
    )


def test_the_official_sees_counts_only_on_the_class_page(client, official, lecturer, teaching):
    upload_plan(teaching["mine"], lecturer)
    client.force_login(official)
    page = client.get(reverse("lophoc:course_quality", args=[teaching["course"].pk]))
    text = page.content.decode()
    assert "0 / 2 chuyên đề có giáo án đã duyệt" in text
    assert teaching["mine"].title not in text.split('id="giao-an"')[1]


def test_the_settings_page_is_changed_by_a_leader_only(client, staff, leader):
    from giaoan.models import LessonPlanSettings

    url = reverse("giaoan:settings")
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert client.post(url, {"dung_lai_giao_an": "on"}).status_code == 403
    assert not LessonPlanSettings.objects.exists()
    client.force_login(leader)
    assert client.post(url, {"dung_lai_giao_an": "on"}).status_code == 302
    assert LessonPlanSettings.objects.get().reuse_approved is True
    assert client.post(url, {}).status_code == 302
    assert LessonPlanSettings.objects.get().reuse_approved is False
