"""Questions a lower layer asks of the apps above it (trungtam/hooks.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from trungtam.hooks import Hook, Hooks, Panel, Panels


def test_a_hook_nobody_answered_fails_loudly():
    question = Hook("who teaches this class")
    with pytest.raises(ImproperlyConfigured, match="who teaches this class"):
        question()
    question.register(lambda course: f"lecturers of {course}")
    assert question("K1") == "lecturers of K1"


def test_hooks_ask_every_app_once_in_registration_order():
    question = Hooks("what does a merge mean for you")

    def first(unit):
        return f"calls of {unit}"

    question.register(first)
    question.register(lambda unit: f"surveys of {unit}")
    question.register(first)  # registering again counts once
    assert question("U") == ["calls of U", "surveys of U"]


def test_panels_leave_out_none_and_come_in_their_order():
    page = Panels("what else belongs on the page")
    page.register(lambda course: Panel("b.html", {"course": course}, order=20))
    page.register(lambda course: None)  # nothing to show for this user
    page.register(lambda course: Panel("a.html", {"course": course}, order=10))
    assert [panel.template for panel in page("K1")] == ["a.html", "b.html"]
    assert Panels("nobody answers")() == []
