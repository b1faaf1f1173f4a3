"""The one scoping mechanism: 404 outside the scope, 403 inside it without the right."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from giangvien.models import Lecturer
from hocvien.models import Trainee
from lophoc.models import Course, Enrolment, Score, Session
from tests import builders
from trungtam.models import Centre
from trungtam.scoping import (
    Right,
    centres_for,
    get_for_right_or_404,
    get_visible_or_404,
    has_right,
    require,
    visible,
)

PROJECT_APPS = ("trungtam", "hocvien", "giangvien", "lophoc")


def project_models():
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


@pytest.mark.parametrize("model", list(project_models()), ids=lambda m: m._meta.label)
@pytest.mark.django_db
def test_every_model_can_be_scoped(model, staff, lecturer, province_official):
    # A model without centre_lookup would raise here: no model can be forgotten.
    everything = set(model.objects.values_list("pk", flat=True))
    for user in (staff, lecturer, province_official):
        seen = {row.pk for row in visible(user, model.objects.all())}
        assert seen <= everything
    # The province reads every centre: scoping hides nothing from it.
    assert {row.pk for row in visible(province_official, model.objects.all())} == everything


@pytest.mark.django_db
def test_staff_see_only_their_centre(staff, course, other_course):
    assert list(visible(staff, Course.objects.all())) == [course]
    assert list(centres_for(staff)) == [course.centre]
    assert get_visible_or_404(staff, Course.objects.all(), pk=course.pk) == course
    with pytest.raises(Http404):
        get_visible_or_404(staff, Course.objects.all(), pk=other_course.pk)


@pytest.mark.django_db
def test_other_centre_objects_are_404_through_every_path(staff, other_course):
    enrolment = builders.make_enrolment(other_course)
    score = builders.make_score(enrolment, builders.make_assessment(other_course))
    session = builders.make_session(other_course)
    for queryset, obj in [
        (Enrolment.objects.all(), enrolment),
        (Score.objects.all(), score),
        (Session.objects.all(), session),
        (Trainee.objects.all(), enrolment.trainee),
    ]:
        with pytest.raises(Http404):
            get_visible_or_404(staff, queryset, pk=obj.pk)


@pytest.mark.django_db
def test_province_official_sees_every_centre(province_official, course, other_course):
    assert set(visible(province_official, Course.objects.all())) == {course, other_course}
    assert centres_for(province_official).count() == Centre.objects.count()


@pytest.mark.django_db
def test_official_reads_but_may_not_write(official, course):
    assert get_visible_or_404(official, Course.objects.all(), pk=course.pk) == course
    assert has_right(official, Right.REPORTS)
    for right in (Right.MANAGE, Right.GRADES, Right.ATTENDANCE, Right.CLOSE, Right.USERS):
        with pytest.raises(PermissionDenied):
            get_for_right_or_404(official, Course.objects.all(), right, pk=course.pk)


@pytest.mark.django_db
def test_lecturer_sees_only_the_classes_they_teach(lecturer, centre):
    me = lecturer.lecturer
    taught = builders.make_course(centre)
    builders.make_session(taught, lecturer=me)
    graded = builders.make_course(centre)
    builders.make_assessment(graded, grader=me)
    not_mine = builders.make_course(centre)
    builders.make_session(not_mine, lecturer=builders.make_lecturer(centre))
    assert set(visible(lecturer, Course.objects.all())) == {taught, graded}
    with pytest.raises(Http404):
        get_visible_or_404(lecturer, Course.objects.all(), pk=not_mine.pk)

    mine = builders.make_enrolment(taught)
    builders.make_enrolment(not_mine)
    assert list(visible(lecturer, Enrolment.objects.all())) == [mine]


@pytest.mark.django_db
def test_lecturer_sees_no_registry_and_only_own_lecturer_record(lecturer, centre):
    builders.make_trainee(centre)
    builders.make_lecturer(centre)
    assert not visible(lecturer, Trainee.objects.all()).exists()
    assert list(visible(lecturer, Lecturer.objects.all())) == [lecturer.lecturer]


@pytest.mark.django_db
def test_lecturer_rights(lecturer):
    assert has_right(lecturer, Right.GRADES) and has_right(lecturer, Right.ATTENDANCE)
    for right in (Right.MANAGE, Right.CLOSE, Right.REPORTS, Right.USERS):
        with pytest.raises(PermissionDenied):
            require(lecturer, right)


@pytest.mark.django_db
def test_staff_may_not_manage_users_but_admin_may(staff, admin_user):
    assert not has_right(staff, Right.USERS)
    assert has_right(admin_user, Right.USERS)
    assert has_right(staff, Right.CLOSE)


@pytest.mark.django_db
def test_inactive_and_anonymous_see_nothing(staff, course):
    from django.contrib.auth.models import AnonymousUser

    staff.is_active = False
    staff.save()
    assert not visible(staff, Course.objects.all()).exists()
    assert not visible(AnonymousUser(), Course.objects.all()).exists()
    assert not has_right(AnonymousUser(), Right.VIEW)
