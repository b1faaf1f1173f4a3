"""Rows of the permission matrix owned by the apps of issue 17, one module per app.

Each module defines
    ROWS: dict[str, Row]                  the app's URL names and what each role gets
    build(world) -> dict                  objects the rows need, built in the matrix's world
                                          (tests/permission_matrix.build_world), put in world.extra
    demo_extra(world) -> dict             the same objects picked from the small demo, for the
                                          browser sweeps (tests/e2e/pages.demo_world)
tests/permission_matrix.py merges them into TABLE and calls them; a module imports Row and the
answer constants from tests.permission_matrix.
"""

import importlib

PART_NAMES = ("danhgia", "hieuqua", "giaoan", "dugio", "tailieu")


def parts() -> list:
    return [importlib.import_module(f"tests.matrix_parts.{name}") for name in PART_NAMES]
