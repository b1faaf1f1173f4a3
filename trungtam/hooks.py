"""Questions a lower layer asks of an app above it (DESIGN §3).

Imports only point down, so a lower module that needs an answer only the app above knows (which
classes a lecturer teaches, what belongs in a person's data export) declares a `Hook`; the app
above registers the answer in its `AppConfig.ready()`; the lower module calls the hook and never
names that app. A hook nobody answered fails loudly instead of answering "nothing".
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured


class Hook:
    """One question with one answer: the function registered for it."""

    def __init__(self, question: str):
        self.question = question
        self._answer: Callable | None = None

    def register(self, function: Callable) -> Callable:
        self._answer = function
        return function

    def __call__(self, *args, **kwargs):
        if self._answer is None:
            raise ImproperlyConfigured(f"No app answered the hook «{self.question}».")
        return self._answer(*args, **kwargs)


class Hooks:
    """One question several apps above may each answer (say, what a merge of two units means
    for their own rows): each app registers its answer; a call asks them all, in the order the
    apps were loaded, and returns the answers as a list. An app registering twice counts once."""

    def __init__(self, question: str):
        self.question = question
        self._answers: list[Callable] = []

    def register(self, function: Callable) -> Callable:
        if function not in self._answers:
            self._answers.append(function)
        return function

    def __call__(self, *args, **kwargs) -> list:
        return [answer(*args, **kwargs) for answer in self._answers]
