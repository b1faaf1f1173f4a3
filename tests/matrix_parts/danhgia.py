"""The permission matrix's rows for the danhgia app (see tests/matrix_parts/__init__.py)."""

from tests.permission_matrix import Row  # noqa: F401

ROWS: dict = {}


def build(world) -> dict:
    return {}


def demo_extra(world) -> dict:
    return {}
