"""Behaviour, not timing: helpers that prove a guard refused before doing the expensive work."""

import contextlib
import zipfile
from unittest import mock

_open = zipfile.ZipFile.open


def _no_reading(archive, name, mode="r", *args, **kwargs):
    if mode == "r":
        raise AssertionError(f"a ZIP member was inflated: {name}")
    return _open(archive, name, mode, *args, **kwargs)


@contextlib.contextmanager
def nothing_inflated():
    """Fails the test if any member of any ZIP archive is read (inflated) inside the block: a zip
    bomb must be refused from the archive's directory alone. Writing archives stays allowed."""
    with mock.patch.object(zipfile.ZipFile, "open", autospec=True, side_effect=_no_reading):
        yield
