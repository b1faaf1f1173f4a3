"""Every form, fed random and malformed values: never a server error; a refusal says what is wrong,
in Vietnamese, next to the field, and writes nothing.

Each form is found on its page as a browser sees it (every field, the values the page offers);
each example posts, per field, an offered value, a nasty one (wrong type, huge, a formula, control
characters, NFD Unicode…) or nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.forms import BaseForm, BaseFormSet
from django.urls import reverse
from hypothesis import given

from tests.property.support import (
    PROPERTY,
    changed_tables,
    example,
    fingerprint,
    form_data,
    is_vietnamese,
    main_form,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    name: str
    url: Callable
    who: str = "staff"  # an attribute of World, or "" for an anonymous visitor
    needs: str | None = None  # a field the form must have (to pick it among several)


CASES = [
    Case("login", lambda w: reverse("login"), who="", needs="password"),
    Case("trainee", lambda w: reverse("hocvien:trainee_create")),
    Case("trainee_edit", lambda w: reverse("hocvien:trainee_edit", args=[w.trainee.pk])),
    Case("unit", lambda w: reverse("hocvien:unit_create")),
    Case("lecturer", lambda w: reverse("giangvien:lecturer_create")),
    Case(
        "course",
        lambda w: (
            reverse("lophoc:course_create")
            + f"?trung_tam={w.centre.pk}&chuong_trinh={w.course.program_id}"
        ),
    ),
    Case("course_edit", lambda w: reverse("lophoc:course_edit", args=[w.course.pk])),
    Case("topics", lambda w: reverse("lophoc:course_topics", args=[w.course.pk])),
    Case("session", lambda w: reverse("lophoc:session_create", args=[w.course.pk])),
    Case("timetable", lambda w: reverse("lophoc:timetable_bulk", args=[w.course.pk])),
    Case("attendance", lambda w: reverse("lophoc:attendance_edit", args=[w.session.pk])),
    Case(
        "attendance_lecturer",
        lambda w: reverse("lophoc:attendance_edit", args=[w.session.pk]),
        who="lecturer",
    ),
    Case("assessments", lambda w: reverse("lophoc:course_assessments", args=[w.course.pk])),
    Case(
        "enrol_new_trainee",
        lambda w: reverse("lophoc:enrolment_add", args=[w.enrolling.pk]),
        needs="moi-full_name",
    ),
    Case(
        "certificate_void",
        lambda w: reverse("lophoc:certificate_void", args=[w.certificate.pk]),
    ),
    Case(
        "certificate_reissue",
        lambda w: reverse("lophoc:certificate_reissue", args=[w.certificate.pk]),
    ),
]

ACCEPTED = (301, 302, 303)
REFUSED_ELSEWHERE = (400, 403, 404, 405, 429)


def form_errors(response) -> list[tuple[str, str]]:
    """(field name or "__all__", message) of every bound form and formset the page shows."""
    found, seen = [], set()
    for context in response.context or []:
        for values in context.dicts if hasattr(context, "dicts") else [context]:
            for value in values.values() if isinstance(values, dict) else []:
                if id(value) in seen:
                    continue
                seen.add(id(value))
                if isinstance(value, BaseForm) and value.is_bound:
                    found += _errors_of(value)
                elif isinstance(value, BaseFormSet) and value.is_bound:
                    found += [("__all__", str(e)) for e in value.non_form_errors()]
                    for form in value.forms:
                        found += _errors_of(form)
    return found


def _errors_of(form) -> list[tuple[str, str]]:
    errors = []
    for field, messages in form.errors.items():
        assert field == "__all__" or field in form.fields, f"error on unknown field {field}"
        errors += [(field, str(message)) for message in messages]
    return errors


def error_messages(response) -> list[str]:
    return [
        str(m) for m in (response.context or {}).get("messages", []) if m.level_tag != "success"
    ]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_form_never_fails_and_a_refusal_writes_nothing(case, world, client):
    url = case.url(world)
    user = getattr(world, case.who) if case.who else None
    if user:
        client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    form = main_form(page.content.decode(), needs=case.needs)
    action = form["action"] or url

    @PROPERTY
    @given(data=form_data(form))
    def post_anything(data):
        with example():
            if user:
                client.force_login(user)
            before = fingerprint()
            response = client.post(action, data)  # a view error would raise here
            after = fingerprint()
            status = response.status_code
            if status in ACCEPTED:
                # Whatever was accepted is stored so that the next page can show it.
                follow = client.get(response["Location"])
                assert follow.status_code in (200, 302), follow.status_code
                return
            assert changed_tables(before, after) == [], f"refused ({status}) but wrote"
            if status in REFUSED_ELSEWHERE:
                return
            assert status == 200, status
            errors = form_errors(response)
            shown = [message for _, message in errors] + error_messages(response)
            assert shown, "refused without saying why"
            for message in shown:
                assert is_vietnamese(message), message

    post_anything()
