"""The unit's page (issue 16, item 4): its people and those of the units under it, attendance so
far with a warning at 75 % of the absence limit, results, certificates with their public check
address, notifications; never another unit's people; a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lophoc.models import CourseStatus
from tests import builders
from tests.donvi.conftest import closed_with_results
from tests.lophoc.certificate_helpers import make_certificate
from thongbao.models import Notification, NotificationKind
from thongbao.notify import notify

pytestmark = pytest.mark.django_db


def page(unit, **query):
    url = reverse("donvi:unit_page", args=[unit.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def running_course(centre, *, periods=40, held=24, limit="20"):
    """A class in progress: `periods` scheduled in sessions of 4, `held` of them already taught."""
    today = timezone.localdate()
    course = builders.make_course(
        centre,
        status=CourseStatus.IN_PROGRESS,
        start_date=today - datetime.timedelta(days=held // 4 - 1),
        absence_limit_percent=limit,
    )
    for index in range(periods // 4):
        builders.make_session(
            course,
            date=course.start_date + datetime.timedelta(days=index),
            part="morning",
        )
    return course


# --- who may open it ---------------------------------------------------------------------------


def test_the_home_page_leads_a_liaison_to_its_unit(client, liaison, commune):
    client.force_login(liaison)
    assert client.get(reverse("home"))["Location"] == reverse("donvi:home")
    assert client.get(reverse("donvi:home"))["Location"] == page(commune)
    response = client.get(page(commune))
    assert response.status_code == 200
    assert "Trang đơn vị" in response.content.decode()  # the menu


@pytest.mark.parametrize(
    "role, status",
    [("staff", 200), ("other_staff", 404), ("official", 403), ("lecturer", 403)],
)
def test_access_per_role(client, request, commune, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(page(commune)).status_code == status


def test_a_liaison_opens_its_sub_units_but_never_another_unit(
    client, liaison, commune, cell, agency
):
    client.force_login(liaison)
    assert client.get(page(cell)).status_code == 200
    assert client.get(page(agency)).status_code == 404
    # …nor the centre's pages about units and people.
    assert client.get(reverse("hocvien:unit_detail", args=[commune.pk])).status_code == 403
    assert client.get(reverse("hocvien:trainee_list")).status_code == 403


def test_staff_are_sent_to_the_unit_registry(client, staff):
    client.force_login(staff)
    assert client.get(reverse("donvi:home"))["Location"] == reverse("hocvien:unit_list")


# --- what it shows -----------------------------------------------------------------------------


def test_it_lists_its_people_and_its_sub_units_never_another_units(
    client, centre, liaison, commune, cell, agency
):
    course = running_course(centre)
    own = builders.make_trainee(centre, unit=commune, full_name="Nguyễn Thị Hoa")
    sub = builders.make_trainee(centre, unit=cell, full_name="Lê Văn Sơn")
    other = builders.make_trainee(centre, unit=agency, full_name="Trần Minh Khôi")
    builders.make_enrolment(course, trainee=own, unit=commune)
    builders.make_enrolment(course, trainee=sub, unit=cell)
    builders.make_enrolment(course, trainee=other, unit=agency)
    # Works at the commune now, but another unit sent them: not the commune's enrolment.
    moved = builders.make_trainee(centre, unit=commune, full_name="Võ Thị Mai")
    builders.make_enrolment(course, trainee=moved, unit=agency)
    client.force_login(liaison)
    text = client.get(page(commune, nam=course.start_date.year)).content.decode()
    assert "Nguyễn Thị Hoa" in text and "Lê Văn Sơn" in text
    assert "Trần Minh Khôi" not in text and "Võ Thị Mai" not in text
    assert course.code in text


def test_attendance_warns_at_three_quarters_of_the_limit(client, centre, liaison, commune):
    # 40 periods, a 20 % limit: 8 periods may be missed; the warning comes at 6.
    course = running_course(centre, periods=40, held=24)
    names = {2: "Nguyễn Văn Hai", 6: "Nguyễn Văn Sáu", 10: "Nguyễn Văn Mười"}
    for absent, name in names.items():
        trainee = builders.make_trainee(centre, unit=commune, full_name=name)
        builders.make_enrolment(
            course, trainee=trainee, unit=commune, scheduled_periods=40, absent_periods=absent
        )
    client.force_login(liaison)
    response = client.get(page(commune, nam=course.start_date.year))
    rows = {row.trainee.full_name: row for row in response.context["data"].classes[0].rows}
    assert not rows["Nguyễn Văn Hai"].warning and not rows["Nguyễn Văn Hai"].over_limit
    assert rows["Nguyễn Văn Sáu"].warning and not rows["Nguyễn Văn Sáu"].over_limit
    assert rows["Nguyễn Văn Mười"].over_limit
    assert rows["Nguyễn Văn Sáu"].held_periods == 24
    text = response.content.decode()
    assert "Sắp đến giới hạn vắng" in text and "Đã vắng quá giới hạn" in text
    assert "được vắng tối đa 8 tiết (20% số tiết)" in text
    assert "2 học viên đã vắng từ 75% số tiết được phép vắng" in text


def test_a_closed_class_shows_the_result_and_the_certificate_check_address(
    client, settings, centre, liaison, commune
):
    settings.PUBLIC_BASE_URL = "https://ttct.example.vn"
    trainee = builders.make_trainee(centre, unit=commune, full_name="Nguyễn Thị Hoa")
    course, (enrolment,) = closed_with_results(centre, [(trainee, commune)])
    certificate = make_certificate(enrolment, 17)
    client.force_login(liaison)
    text = client.get(page(commune, nam=2026)).content.decode()
    assert "Hoàn thành" in text and "Giỏi (8,5)" in text
    assert certificate.number in text
    assert f"https://ttct.example.vn/xac-thuc/{certificate.verification_code}/" in text
    assert reverse("donvi:result_notice", args=[commune.pk, course.pk]) in text


def test_the_year_filter(client, centre, liaison, commune):
    trainee = builders.make_trainee(centre, unit=commune)
    old = builders.make_course(centre, start_date=datetime.date(2024, 5, 6))
    new = builders.make_course(centre, start_date=datetime.date(2026, 5, 4))
    builders.make_enrolment(old, trainee=trainee, unit=commune)
    builders.make_enrolment(new, trainee=trainee, unit=commune)
    client.force_login(liaison)
    response = client.get(page(commune, nam=2024))
    text = response.content.decode()
    assert old.code in text and new.code not in text
    assert response.context["data"].years == [2026, 2024]
    # A year typed wrong is no error: the default year.
    assert client.get(page(commune, nam="20x6")).status_code == 200


def test_an_empty_year_says_so(client, liaison, commune):
    client.force_login(liaison)
    text = client.get(page(commune, nam=2020)).content.decode()
    assert "Đơn vị không cử ai học lớp nào khai giảng năm 2020" in text


def test_a_fixed_number_of_queries(client, centre, liaison, commune, cell):
    def add_people(count):
        course = running_course(centre)
        for n in range(count):
            trainee = builders.make_trainee(centre, unit=commune if n % 2 else cell)
            enrolment = builders.make_enrolment(
                course, trainee=trainee, unit=trainee.unit, scheduled_periods=40
            )
            closed, (done,) = closed_with_results(centre, [(trainee, trainee.unit)])
            make_certificate(done, 1000 + enrolment.pk)
        notify(commune, kind=NotificationKind.NOTICE_READY, title=f"Thông báo {count}")

    client.force_login(liaison)
    add_people(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(page(commune, nam=2026)).status_code == 200
    add_people(9)
    with CaptureQueriesContext(connection) as large:
        assert client.get(page(commune, nam=2026)).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(small) <= 15  # the budget of `manage.py bench` (issue 16)


# --- notifications -----------------------------------------------------------------------------


def test_notifications_newest_first_and_marked_read(client, liaison, commune, cell, agency):
    notify(commune, kind=NotificationKind.CALL_OPENED, title="Chiêu sinh lớp KND-03/2026")
    notify(cell, kind=NotificationKind.NOTICE_READY, title="Đã có thông báo kết quả lớp DVM")
    notify(agency, kind=NotificationKind.CALL_OPENED, title="Thông báo của trường")
    client.force_login(liaison)
    response = client.get(page(commune))
    titles = [n.title for n in response.context["notifications"]]
    assert titles == ["Đã có thông báo kết quả lớp DVM", "Chiêu sinh lớp KND-03/2026"]
    assert response.context["unread"] == 2
    first = Notification.objects.get(unit=commune)
    url = reverse("donvi:notifications_read", args=[commune.pk])
    client.post(url, {"thong_bao": first.pk})
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert Notification.objects.get(unit=cell).read_at is None
    client.post(url)
    assert not Notification.objects.filter(unit__in=[commune, cell], read_at__isnull=True).exists()


def test_another_units_notification_cannot_be_marked(client, liaison, commune, agency):
    other = notify(agency, kind=NotificationKind.CALL_OPENED, title="Thông báo của trường")
    client.force_login(liaison)
    response = client.post(
        reverse("donvi:notifications_read", args=[commune.pk]), {"thong_bao": other.pk}
    )
    assert response.status_code == 302
    assert Notification.objects.get(pk=other.pk).read_at is None
    response = client.post(
        reverse("donvi:notifications_read", args=[agency.pk]), {"thong_bao": other.pk}
    )
    assert response.status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_staff_previewing_the_page_cannot_mark_its_notices_read(client, staff, commune):
    notice = notify(commune, kind=NotificationKind.CALL_OPENED, title="Chiêu sinh lớp KND")
    client.force_login(staff)
    response = client.get(page(commune))
    assert response.context["unread"] == 1
    assert reverse("donvi:notifications_read", args=[commune.pk]) not in response.content.decode()
    url = reverse("donvi:notifications_read", args=[commune.pk])
    assert client.post(url, {"thong_bao": notice.pk}).status_code == 403
    assert client.post(url).status_code == 403
    assert Notification.objects.get(pk=notice.pk).read_at is None
