"""The home page's upcoming sessions link their class (issue 14, item 18), for every role that
sees them: the class page answers each of them (officials get its figures)."""

import datetime

import pytest
from django.urls import reverse

from lophoc.models import CourseStatus
from tests import builders


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "lecturer", "official"])
def test_an_upcoming_session_links_its_class(role, request, centre, client):
    user = request.getfixturevalue(role)
    lecturer = getattr(user, "lecturer", None) or builders.make_lecturer(centre)
    course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS, code="KND-05/2026")
    builders.make_session(
        course, lecturer=lecturer, date=datetime.date.today() + datetime.timedelta(days=1)
    )
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    link = f'<a href="{reverse("lophoc:course_detail", args=[course.pk])}">KND-05/2026</a>'
    assert link in page
    assert client.get(reverse("lophoc:course_detail", args=[course.pk])).status_code == 200


@pytest.mark.django_db
def test_pages_carry_the_centres_name_never_the_softwares(client, staff, province_official):
    login = client.get(reverse("login")).text
    assert "trungtam" not in login.split("<body")[0] and "Trung tâm Chính trị" in login
    # Django's login view puts the host in `site_name`: never printed as the site's name.
    assert "testserver" not in login
    client.force_login(staff)
    home = client.get(reverse("home")).text
    title = home.split("<title>")[1].split("</title>")[0]
    assert staff.centre.name in title and "trungtam" not in title
    client.force_login(province_official)
    assert "Các trung tâm chính trị" in client.get(reverse("home")).text
