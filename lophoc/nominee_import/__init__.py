"""Importing the nominee lists units send (DESIGN §5 step 3, §9 "Nominee list", §12).

parse (pure: file → rows and problems) → plan (against the database: matches, units, capacity)
→ apply (one transaction). The web preview and `manage.py import_trainees` share all three.
"""

from lophoc.nominee_import.applying import ImportResult, guess_unit_kind, nominee_import_apply
from lophoc.nominee_import.parsing import (
    COLUMNS,
    MAX_ROWS,
    NomineeRow,
    ParsedFile,
    header_key,
    parse_date,
    parse_nominee_file,
)
from lophoc.nominee_import.planning import (
    CONFIRMED,
    MATCHED,
    NEW,
    PROPOSED,
    ImportPlan,
    RowPlan,
    course_refusal,
    mask_national_id,
    nominee_import_plan,
)
from lophoc.nominee_import.problems import ImportRefused, Problem
from lophoc.nominee_import.reading import MAX_FILE_BYTES, UnreadableFile
from lophoc.nominee_import.template import TEMPLATE_FILENAME, nominee_template_xlsx

__all__ = [
    "COLUMNS",
    "CONFIRMED",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "MATCHED",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "NEW",
    "NomineeRow",
    "PROPOSED",
    "ParsedFile",
    "Problem",
    "RowPlan",
    "TEMPLATE_FILENAME",
    "UnreadableFile",
    "course_refusal",
    "guess_unit_kind",
    "header_key",
    "mask_national_id",
    "nominee_import_apply",
    "nominee_import_plan",
    "nominee_template_xlsx",
    "parse_date",
    "parse_nominee_file",
]
