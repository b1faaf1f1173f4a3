"""Trainee records: saving with the CCCD check, and merging two records of the same person.

Classes live in the app above this one, which this app may not name (DESIGN §3): what a merge needs
to know of a person's classes it asks through `hocvien.classes`, and the rows that point at a
trainee (enrolments included) are found through the model's own metadata, so a merge never leaves
a row behind.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.models import HistoricalChanges
from simple_history.utils import bulk_update_with_history

from hocvien import classes
from hocvien.models import Trainee
from hocvien.rules import (  # noqa: F401 - one place to import a person's rules from
    MAX_AGE,
    MIN_AGE,
    NAME_MAX_LENGTH,
    birth_date_problem,
    hidden_character,
    name_problem,
    tidy_name,
)
from trungtam.hooks import Hooks

# Apps above whose rows allow a person once where a merge would put them twice (a unit's list for
# a call) make way before the rows move: each answers (keep=, remove=) in its AppConfig.ready().
trainee_merge_make_way = Hooks("clear the removed record's rows the kept record already has")

# simple_history keeps a change reason of at most 100 characters (enforced by PostgreSQL).
CHANGE_REASON_LENGTH = 100

# Fields a merge copies from the removed record when the kept one has them blank.
FILLABLE_FIELDS = [
    "national_id",
    "unit",
    "position",
    "phone",
    "email",
    "hometown",
    "education_level",
    "political_theory_level",
    "ethnicity",
    "religion",
    "party_joined_on",
]


# The rules of a person's record, shared by every form and the nominee import, live in
# hocvien.rules (the model's own validation uses them too).


def same_name_and_birth(*, centre_id: int, full_name: str, date_of_birth, exclude_pk=None):
    """Trainees of the centre with exactly this name (diacritics count: "Lê" is not "Lệ") and
    date of birth — perhaps the same person, for someone to confirm (DESIGN §5)."""
    matches = Trainee.objects.filter(
        centre_id=centre_id, full_name=full_name, date_of_birth=date_of_birth
    ).select_related("unit")
    if exclude_pk is not None:
        matches = matches.exclude(pk=exclude_pk)
    return matches.order_by("pk")


def national_id_holder(*, centre_id: int, national_id: str, exclude_pk=None) -> Trainee | None:
    """The trainee of this centre who already has this CCCD, if any."""
    if not national_id:
        return None
    holders = Trainee.objects.filter(centre_id=centre_id, national_id=national_id)
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    return holders.first()


def national_id_taken_message(holder: Trainee) -> str:
    return (
        f"Số CCCD {holder.national_id} đã thuộc học viên {holder.full_name} "
        f"(sinh ngày {holder.date_of_birth:%d/%m/%Y}, mã hồ sơ {holder.pk}). "
        "Nếu là cùng một người, hãy mở hồ sơ đó thay vì tạo hồ sơ mới, hoặc gộp hai hồ sơ."
    )


def _checked_save(trainee: Trainee) -> Trainee:
    trainee.normalize()
    holder = national_id_holder(
        centre_id=trainee.centre_id, national_id=trainee.national_id, exclude_pk=trainee.pk
    )
    if holder is not None:
        raise ValidationError({"national_id": national_id_taken_message(holder)})
    trainee.full_clean()
    trainee.save()
    return trainee


@transaction.atomic
def trainee_create(*, trainee: Trainee) -> Trainee:
    """Store a new trainee after the model's checks and the CCCD uniqueness check."""
    return _checked_save(trainee)


@transaction.atomic
def trainee_update(*, trainee: Trainee, user=None, reason: str = "") -> Trainee:
    """Store corrections to a trainee; the history keeps who changed what and why (DESIGN §8b)."""
    if user is not None:
        trainee._history_user = user
    if reason:
        trainee._change_reason = reason[:CHANGE_REASON_LENGTH]
    return _checked_save(trainee)


# --- merge -----------------------------------------------------------------------------------


@dataclass
class MergePlan:
    """What merging `remove` into `keep` would do, or why it is refused."""

    keep: Trainee
    remove: Trainee
    refusals: list[str] = field(default_factory=list)
    enrolments: list = field(default_factory=list)  # the enrolments that move to `keep`
    filled: list[tuple[str, str]] = field(default_factory=list)  # (label, value) copied over

    @property
    def allowed(self) -> bool:
        return not self.refusals


def _display(trainee: Trainee, name: str) -> str:
    model_field = Trainee._meta.get_field(name)
    if model_field.choices:
        return getattr(trainee, f"get_{name}_display")()
    value = getattr(trainee, name)
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _is_blank(value) -> bool:
    return value is None or value == ""


def _fills(keep: Trainee, remove: Trainee) -> dict:
    """Field values `keep` takes from `remove` because its own are blank."""
    values = {}
    for name in FILLABLE_FIELDS:
        attname = Trainee._meta.get_field(name).attname
        if _is_blank(getattr(keep, attname)) and not _is_blank(getattr(remove, attname)):
            values[attname] = getattr(remove, attname)
    if remove.is_party_member and not keep.is_party_member:
        values["is_party_member"] = True
    return values


def trainee_merge_plan(*, keep: Trainee, remove: Trainee) -> MergePlan:
    """Check the merge and list what moves; nothing is written."""
    plan = MergePlan(keep=keep, remove=remove)
    if keep.pk == remove.pk:
        plan.refusals.append("Hãy chọn hai hồ sơ khác nhau: không thể gộp một hồ sơ vào chính nó.")
        return plan
    if keep.centre_id != remove.centre_id:
        plan.refusals.append(
            "Hai hồ sơ thuộc hai trung tâm khác nhau, không thể gộp: mỗi trung tâm giữ hồ sơ "
            "học viên của mình."
        )
        return plan
    if keep.national_id and remove.national_id and keep.national_id != remove.national_id:
        plan.refusals.append(
            f"Hai hồ sơ có số CCCD khác nhau ({keep.national_id} và {remove.national_id}) nên "
            "có thể là hai người khác nhau. Nếu một số bị nhập sai, hãy sửa hồ sơ đó trước rồi gộp."
        )
    plan.refusals += classes.merge_refusals(keep=keep, remove=remove)
    plan.enrolments = classes.merge_enrolments(remove)
    labels = {name: str(Trainee._meta.get_field(name).verbose_name) for name in FILLABLE_FIELDS}
    labels["is_party_member"] = str(Trainee._meta.get_field("is_party_member").verbose_name)
    names = {Trainee._meta.get_field(name).attname: name for name in labels}
    for attname in _fills(keep, remove):
        name = names[attname]
        if name == "is_party_member":
            plan.filled.append((labels[name], "Có"))
        else:
            plan.filled.append((labels[name], _display(remove, name)))
    return plan


def repoint_references(*, model, old, new, user=None, reason: str = "") -> dict[str, int]:
    """Point every row that references `old` (a `model` instance) at `new` instead.

    Works from the model's metadata, so rows of apps this one may not import (enrolments) move
    too, and so do rows whose relation has no reverse name (`related_name="+"`). History tables
    are left alone: they record what was. Rows of models with a history get a history entry naming
    `user` and `reason`. Returns the number of rows moved per relation name.
    """
    moved = {}
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related_model = relation.related_model
        if issubclass(related_model, HistoricalChanges):
            continue
        fk_name = relation.field.name
        rows = list(related_model._base_manager.filter(**{fk_name: old}))
        if not rows:
            continue
        for row in rows:
            setattr(row, fk_name, new)
        if hasattr(related_model, "history"):
            bulk_update_with_history(
                rows,
                related_model,
                [fk_name],
                default_user=user,
                default_change_reason=reason,
            )
        else:
            related_model._base_manager.bulk_update(rows, [fk_name])
        name = relation.get_accessor_name()
        moved[f"{related_model._meta.label_lower}.{fk_name}" if relation.hidden else name] = len(
            rows
        )
    return moved


def merge_reason(*, remove: Trainee, keep: Trainee) -> str:
    return f"Gộp hồ sơ mã {remove.pk} vào hồ sơ mã {keep.pk} ({remove.full_name})"[
        :CHANGE_REASON_LENGTH
    ]


@transaction.atomic
def trainee_merge(*, keep: Trainee, remove: Trainee, user=None) -> Trainee:
    """Merge two records of the same person: everything of `remove` moves to `keep`.

    Enrolments move (certificates and scores hang on enrolments, so they follow); blank fields of
    `keep` are filled from `remove`; `remove` is deleted. All or nothing; refused with the reason
    when the records belong to different centres, carry different CCCDs, or share a class.
    """
    locked = {
        t.pk: t for t in Trainee.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk])
    }
    if len(locked) != 2:
        raise ValidationError("Một trong hai hồ sơ không còn tồn tại; hãy tải lại trang.")
    keep, remove = locked[keep.pk], locked[remove.pk]
    plan = trainee_merge_plan(keep=keep, remove=remove)
    if not plan.allowed:
        raise ValidationError(plan.refusals)
    fills = _fills(keep, remove)
    # The ids first: history keeps 100 characters, and deleting the person later finds the
    # records merged into theirs by "vào hồ sơ mã <id>" (hocvien.personal_data).
    reason = merge_reason(remove=remove, keep=keep)
    trainee_merge_make_way(keep=keep, remove=remove)
    repoint_references(model=Trainee, old=remove, new=keep, user=user, reason=reason)
    if remove.notes and remove.notes not in keep.notes:
        fills["notes"] = "\n".join(part for part in (keep.notes, remove.notes) if part)
    # The CCCD is unique within the centre: the removed record must go before keep takes it.
    remove._history_user = user
    remove._change_reason = reason
    remove.delete()
    for attname, value in fills.items():
        setattr(keep, attname, value)
    keep._history_user = user
    keep._change_reason = reason
    keep.full_clean()
    keep.save()
    return keep
