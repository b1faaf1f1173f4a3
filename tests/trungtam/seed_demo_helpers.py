"""Shared by the seed_demo tests: run a command for its output, count the rows of every model."""

import io

from django.apps import apps
from django.core.management import call_command


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Row counts of every model of the project (history tables included)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"trungtam", "hocvien", "giangvien", "lophoc"}
    }
