"""Every text a person types is stored NFC with collapsed spaces, on every write path.

`save()` and `full_clean()` normalise through the model; `bulk_create`, `bulk_update` and
`update()` go through the QuerySet below, which does the same, so imports and bulk inserts
cannot store NFD names or stale search and sort keys.
"""

import sqlite3

from django.db import connections, models, transaction

from trungtam.text import normalize_multiline, normalize_text


class NormalizedQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.normalize()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        fields = list(fields)
        for obj in objs:
            obj.normalize()
        fields += [name for name in self.model.derived_fields(fields) if name not in fields]
        if not objs or not fields or not _values_update_possible(self, objs, fields):
            return super().bulk_update(objs, fields, batch_size=batch_size)
        return _values_update(self, objs, fields, batch_size)

    def update(self, **kwargs):
        kwargs = self.model.normalize_values(kwargs)
        return super().update(**kwargs)


class NormalizedModel(models.Model):
    """Base of every model of the project: text normalisation and derived keys kept in step."""

    objects = NormalizedQuerySet.as_manager()

    class Meta:
        abstract = True

    def normalize(self) -> None:
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if not isinstance(value, str):
                continue
            if isinstance(field, models.TextField):
                setattr(self, field.attname, normalize_multiline(value))
            elif isinstance(field, models.CharField):
                setattr(self, field.attname, normalize_text(value))
        self.compute_derived_fields()

    def compute_derived_fields(self) -> None:
        """Override to keep stored keys (search key, sort key…) in step with their source."""

    @classmethod
    def derived_fields(cls, source_fields) -> list[str]:
        """Stored fields recomputed when any of `source_fields` changes."""
        return []

    @classmethod
    def normalize_values(cls, values: dict) -> dict:
        """Normalise a dict of field values for QuerySet.update(), adding derived keys."""
        values = dict(values)
        probe = cls()
        for name, value in list(values.items()):
            field = cls._meta.get_field(name)
            if isinstance(value, str) and isinstance(field, models.TextField):
                values[name] = normalize_multiline(value)
            elif isinstance(value, str) and isinstance(field, models.CharField):
                values[name] = normalize_text(value)
            if isinstance(value, str):
                setattr(probe, field.attname, values[name])
        derived = cls.derived_fields(values.keys())
        if derived:
            probe.compute_derived_fields()
            for name in derived:
                values.setdefault(name, getattr(probe, name))
        return values

    def clean_fields(self, exclude=None):
        self.normalize()
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.normalize()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            update_fields = list(update_fields)
            update_fields += [
                n for n in self.derived_fields(update_fields) if n not in update_fields
            ]
            kwargs["update_fields"] = update_fields
        super().save(*args, **kwargs)


class PersonNameMixin(models.Model):
    """A person's full name with its stored search key and Vietnamese sort key."""

    full_name = models.CharField("Họ và tên", max_length=100)
    search_key = models.CharField(max_length=100, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=400, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def compute_derived_fields(self) -> None:
        from trungtam.text import search_key, sort_key

        super().compute_derived_fields()
        self.search_key = search_key(self.full_name or "")
        self.sort_key = sort_key(self.full_name or "")

    @classmethod
    def derived_fields(cls, source_fields) -> list[str]:
        fields = list(super().derived_fields(source_fields))
        if "full_name" in source_fields:
            fields += ["search_key", "sort_key"]
        return fields

    @property
    def given_name(self) -> str:
        from trungtam.text import given_name

        return given_name(self.full_name)


# --- bulk_update as one UPDATE … FROM (VALUES …) per batch ------------------------------------
# Django's bulk_update writes CASE WHEN pk=… THEN … per row and field, which costs PostgreSQL
# a plan of the size of the batch (an 80 × 3 grade save took ~260 ms at province scale); a join
# on a VALUES list is one cheap statement. Same semantics: no save(), no signals, no auto_now.

MAX_PARAMETERS = 30000  # below SQLite's 32766 and PostgreSQL's 65535 bound parameters


def _sql_type(field, connection) -> str:
    return field.rel_db_type(connection) if field.is_relation else field.db_type(connection)


def _values_update_possible(queryset, objs, fields) -> bool:
    connection = connections[queryset.db]
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 33):
        return False  # UPDATE … FROM arrived in SQLite 3.33
    if connection.vendor not in ("postgresql", "sqlite") or queryset.query.has_filters():
        return False
    meta = queryset.model._meta
    model_fields = [meta.get_field(name) for name in fields]
    if any(f.primary_key or not f.concrete or f.many_to_many for f in model_fields):
        return False  # let Django raise its own error
    return not any(
        obj.pk is None
        or any(hasattr(getattr(obj, f.attname), "resolve_expression") for f in model_fields)
        for obj in objs
    )


def _values_update(queryset, objs, fields, batch_size=None) -> int:
    connection = connections[queryset.db]
    meta = queryset.model._meta
    columns = [meta.pk] + [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    if connection.vendor == "postgresql":
        row = "(" + ", ".join(f"%s::{_sql_type(f, connection)}" for f in columns) + ")"
    else:
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # VALUES columns are named column1, column2… on both databases.
    assignments = ", ".join(
        f"{quote(f.column)} = v.column{n}" for n, f in enumerate(columns[1:], start=2)
    )
    size = max(1, MAX_PARAMETERS // len(columns))
    if batch_size:
        size = min(size, batch_size)
    updated = 0
    with transaction.atomic(using=queryset.db, savepoint=False):
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            params = [
                f.get_db_prep_save(getattr(obj, f.attname), connection)
                for obj in batch
                for f in columns
            ]
            sql = (
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(batch))}) "
                f"AS v WHERE {table}.{quote(meta.pk.column)} = v.column1"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, params)  # nosec B608 - quoted names, values bound
                updated += cursor.rowcount
    return updated
