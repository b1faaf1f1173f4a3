"""Writing the data set's big tables fast: COPY on PostgreSQL, executemany elsewhere.

The rows are model instances built by keyword (`trungtam.devtools.rows`), never saved: their
values are read field by field in the table's own column order, so a model that gains or reorders
a field cannot shift a column.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection

from lophoc.models import Enrolment, Score

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
    """Unsaved instances into a model's table: COPY on PostgreSQL, executemany elsewhere.

    Every field is written as the instance holds it (explicit primary keys, timestamps given by
    the caller: nothing Django fills in on save), so sequences are reset at the end (`finish`).
    """

    def __init__(self):
        self.vendor = connection.vendor
        self.models: set = set()
        self.counts: dict[str, int] = defaultdict(int)
        self.pending: dict = defaultdict(list)

    def add(self, model, objs) -> None:
        """Keep instances of `model` to write with the next `flush` (one COPY per table, not per
        class), as plain values: the instances are not kept."""
        names = self.columns(model)
        self.pending[model].extend(tuple(getattr(obj, name) for name in names) for obj in objs)

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


def history_row(model, obj, *, history_id: int, date, kind: str, user_id, reason=None):
    """The row of history `model` that simple_history would have written for `obj` as it stands
    now (`kind`: "+" created, "~" changed)."""
    values = {
        field.attname: getattr(obj, field.attname)
        for field in model._meta.concrete_fields
        if not field.attname.startswith("history_")
    }
    return model(
        **values,
        history_id=history_id,
        history_date=date,
        history_change_reason=reason,
        history_type=kind,
        history_user_id=user_id,
    )


class Ids:
    """Primary keys handed out in order, per model."""

    def __init__(self):
        self.last: dict = defaultdict(int)

    def next(self, model) -> int:
        self.last[model] += 1
        return self.last[model]
