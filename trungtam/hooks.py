"""Questions a lower layer asks of an app above it (DESIGN §3).

Imports only point down, so a lower module that needs an answer only the app above knows (which
classes a lecturer teaches, what belongs in a person's data export) declares a `Hook`; the app
above registers the answer in its `AppConfig.ready()`; the lower module calls the hook and never
names that app. A hook nobody answered fails loudly instead of answering "nothing".
"""

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Panel:
    """A section an app above adds to a page of a lower app: the template to include and its
    context (available in the template as `panel`)."""

    template: str
    context: dict
    order: int = 100  # smaller first


class Panels(Hooks):
    """Sections of a page that apps above may add: each answer returns a Panel or None (nothing
    to show for this user or object). The page renders them in `order`, then app order. Each
    answer must run a fixed number of queries, so the page keeps its own fixed count."""

    def __call__(self, *args, **kwargs) -> list[Panel]:
        panels = [panel for panel in super().__call__(*args, **kwargs) if panel is not None]
        return sorted(panels, key=lambda panel: panel.order)
