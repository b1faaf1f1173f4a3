"""Lecturer records: adding and correcting them after the model's own checks."""

from django.db import transaction

from giangvien.models import Lecturer


def _checked_save(lecturer: Lecturer, user=None) -> Lecturer:
    if user is not None:
        lecturer._history_user = user
    lecturer.full_clean()
    lecturer.save()
    return lecturer


@transaction.atomic
def lecturer_create(*, lecturer: Lecturer, user=None) -> Lecturer:
    """Store a new lecturer; the history keeps who added it."""
    return _checked_save(lecturer, user)


@transaction.atomic
def lecturer_update(*, lecturer: Lecturer, user=None) -> Lecturer:
    """Store corrections to a lecturer; the history keeps who changed what."""
    return _checked_save(lecturer, user)
