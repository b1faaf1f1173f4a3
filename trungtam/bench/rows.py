"""Writing the data set's big tables fast: COPY on PostgreSQL, executemany elsewhere."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection

from lophoc.models import (
    Assessment,
    Attendance,
    Certificate,
    Course,
    CourseStatusChange,
    Enrolment,
    Score,
    Session,
    Topic,
)

# Reading `Model.history` builds a new manager every time: look the models up once.
HistoricalEnrolment = Enrolment.history.model
HistoricalScore = Score.history.model

COPY_CHUNK = 20000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# PostgreSQL's COPY text format, value by value (psycopg's write_row is several times slower).
_COPY_TEXT = {
    type(None): lambda v: "\\N",
    bool: lambda v: "t" if v else "f",
    int: str,
    Decimal: str,
    str: lambda v: v.translate(_COPY_ESCAPES),
    datetime.date: datetime.date.isoformat,
    datetime.time: datetime.time.isoformat,
    datetime.datetime: datetime.datetime.isoformat,
}


def _copy_text(value) -> str:
    try:
        return _COPY_TEXT[type(value)](value)
    except KeyError:
        # Choices members are str subclasses: format them as their base type (then cached).
        kind = next(k for k in type(value).__mro__ if k in _COPY_TEXT)
        _COPY_TEXT[type(value)] = _COPY_TEXT[kind]
        return _COPY_TEXT[kind](value)


class RowWriter:
    """Plain rows into a model's table: COPY on PostgreSQL, executemany elsewhere.

    Rows are tuples in the order of `columns(model)`. Explicit primary keys are written, so
    sequences are reset at the end (`finish`).
    """

    def __init__(self):
        self.vendor = connection.vendor
        self.models: set = set()
        self.counts: dict[str, int] = defaultdict(int)
        self.pending: dict = defaultdict(list)

    def add(self, model, rows) -> None:
        """Keep rows to write with the next `flush` (one COPY per table, not per class)."""
        self.pending[model].extend(rows)

    def flush(self) -> None:
        """Write what `add` kept, parents before children (the dict keeps insertion order)."""
        for model, rows in self.pending.items():
            self.write(model, rows)
        self.pending.clear()

    @staticmethod
    def columns(model) -> list[str]:
        return [f.attname for f in model._meta.concrete_fields]

    def write(self, model, rows) -> None:
        rows = list(rows)
        if not rows:
            return
        self.models.add(model)
        self.counts[model._meta.label] += len(rows)
        fields = model._meta.concrete_fields
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for start in range(0, len(rows), COPY_CHUNK):
                        copy.write(
                            "".join(
                                "\t".join([_copy_text(v) for v in row]) + "\n"
                                for row in rows[start : start + COPY_CHUNK]
                            )
                        )
            else:
                prepared = [
                    tuple(
                        f.get_db_prep_save(value, connection)
                        for f, value in zip(fields, row, strict=True)
                    )
                    for row in rows
                ]
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)

    def finish(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# The order of the values in the rows this module builds; checked against the models first, so a
# model that gained or reordered a field stops the generator instead of writing shifted columns.
ROW_COLUMNS = {
    Course: "id centre_id program_id code name start_date end_date venue capacity status "
    "partner_name is_assessed certificate_issuer absence_limit_percent notes created_at",
    CourseStatusChange: "id course_id old_status new_status reason user_id created_at",
    Topic: "id course_id order title periods",
    Session: "id course_id date part start_time end_time topic_id lecturer_id room periods kind",
    Assessment: "id course_id order name weight is_final has_retake grader_id submitted_at "
    "submitted_by_id returned_at returned_reason",
    Enrolment: "id course_id trainee_id unit_id position status status_reason enrolled_at "
    "scheduled_periods absent_periods excused_periods final_score classification is_eligible "
    "passed result_computed_at",
    HistoricalEnrolment: "id position status status_reason enrolled_at scheduled_periods "
    "absent_periods excused_periods final_score classification is_eligible passed "
    "result_computed_at course_id trainee_id unit_id history_id history_date "
    "history_change_reason history_type history_user_id",
    Attendance: "id session_id enrolment_id status made_up note",
    Score: "id enrolment_id assessment_id score retake_score version updated_by_id updated_at",
    HistoricalScore: "id score retake_score version updated_at enrolment_id assessment_id "
    "updated_by_id history_id history_date history_change_reason history_type history_user_id",
    Certificate: "id centre_id enrolment_id course_id year sequence number register_number "
    "issued_on verification_code status signer_title signer_name full_name date_of_birth unit_name "
    "course_code course_name program_name course_start course_end salutation completion_text "
    "final_score classification "
    "layout_version replaces_id reissue_reason void_reason voided_at voided_by_id issued_by_id "
    "created_at",
}


def check_columns() -> None:
    for model, expected in ROW_COLUMNS.items():
        actual = " ".join(RowWriter.columns(model))
        if actual != " ".join(expected.split()):
            raise RuntimeError(
                f"Các cột của {model._meta.label} đã đổi; hãy cập nhật trungtam/bench/dataset.py "
                f"(cần: {actual})."
            )


class Ids:
    """Primary keys handed out in order, per model."""

    def __init__(self):
        self.last: dict = defaultdict(int)

    def next(self, model) -> int:
        self.last[model] += 1
        return self.last[model]
