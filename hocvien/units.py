"""Units that send trainees: creating and correcting them, and merging duplicates.

Two different things are called "merge" here. A unit merged by the 2025 reorganisation keeps its
record and points at the unit it became (`merged_into`, set on the edit form), so old enrolments
still print the name the unit had then. A duplicate — the same unit typed twice — is merged with
`unit_merge`: its trainees and enrolments move to the unit kept and the duplicate is deleted.

Apps above this one keep rows that exist once per unit (a notice's key, a call's quota and list, a
survey's ask and answer). This app may not name them (DESIGN §3): each answers the two hooks below
in its AppConfig.ready(), refusing a merge it cannot settle and making way for the rest.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from hocvien.models import Unit, UnitAccount, UnitKind
from hocvien.trainees import repoint_references
from trungtam.hooks import Hooks

# (keep=, remove=) -> list of Vietnamese messages: why the duplicate cannot be merged into `keep`
# (e.g. both units answered the same call). Asked before anything is written.
unit_merge_refusals_above = Hooks("why can these two units not be merged")
# (keep=, remove=) -> None: drop or settle the duplicate's rows `keep` already has (a notice with
# the same key, the same survey's ask), so that moving the rest collides with nothing.
unit_merge_make_way = Hooks("clear the duplicate's rows the kept unit already has")

# Towns (thị trấn) ceased to exist on this day (DESIGN §8a).
TOWNS_ABOLISHED_ON = datetime.date(2025, 7, 1)

ACTIVE_TOWN_MESSAGE = (
    "Từ 01/7/2025 không còn thị trấn. Hãy chọn loại Xã, Phường hoặc Đặc khu; nếu cần ghi lại "
    "một thị trấn cũ để giữ lịch sử, hãy bỏ chọn «Còn hoạt động» và ghi đơn vị nó được sáp nhập vào."
)


def _is_active_town(unit: Unit) -> bool:
    return unit.kind == UnitKind.TOWN and unit.active


def unit_refusals(unit: Unit, previous: Unit | None = None) -> dict[str, str]:
    """Rules beyond the model's own checks, as {field: message}."""
    errors = {}
    # An active town created or made active today is refused; an old record is left as it was.
    if _is_active_town(unit) and (previous is None or not _is_active_town(previous)):
        errors["kind"] = ACTIVE_TOWN_MESSAGE
    if unit.kind == UnitKind.TOWN and unit.merged_on and unit.merged_on > TOWNS_ABOLISHED_ON:
        errors["merged_on"] = "Thị trấn đã chấm dứt từ 01/7/2025: ngày sáp nhập không thể sau đó."
    if unit.merged_into_id:
        if unit.active:
            errors["active"] = (
                "Đơn vị đã sáp nhập vào đơn vị khác thì không còn hoạt động: hãy bỏ chọn "
                "«Còn hoạt động», hoặc để trống «Sáp nhập vào»."
            )
        if unit.pk is not None:
            target, seen = unit.merged_into, set()
            while target is not None and target.pk not in seen:
                if target.pk == unit.pk:
                    errors["merged_into"] = (
                        f"Không thể sáp nhập vào {unit.merged_into.name}: đơn vị đó đã được ghi "
                        f"sáp nhập (trực tiếp hoặc gián tiếp) vào {unit.name}."
                    )
                    break
                seen.add(target.pk)
                target = target.merged_into
    if unit.merged_on and not unit.merged_into_id and unit.active:
        errors["merged_on"] = (
            "Chỉ ghi ngày sáp nhập khi đơn vị đã sáp nhập hoặc ngừng hoạt động; hãy để trống ô này."
        )
    return errors


def _name_taken(unit: Unit) -> str | None:
    same = Unit.objects.filter(centre_id=unit.centre_id, name__iexact=unit.name)
    if unit.pk is not None:
        same = same.exclude(pk=unit.pk)
    other = same.first()
    if other is None:
        return None
    return (
        f"Trung tâm đã có đơn vị «{other.name}». Hãy dùng đơn vị đó, hoặc đặt tên khác nếu đây "
        "là đơn vị khác."
    )


def _checked_save(unit: Unit, previous: Unit | None) -> Unit:
    unit.normalize()
    errors = unit_refusals(unit, previous)
    taken = _name_taken(unit)
    if taken:
        errors["name"] = taken
    if errors:
        raise ValidationError(errors)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_create(*, unit: Unit) -> Unit:
    return _checked_save(unit, previous=None)


@transaction.atomic
def unit_update(*, unit: Unit) -> Unit:
    previous = Unit.objects.get(pk=unit.pk)
    return _checked_save(unit, previous=previous)


def _chain(unit: Unit, step: str) -> list[Unit]:
    """The units reached from `unit` by following `step` ("parent", "merged_into"), a loop cut."""
    found, seen = [], {unit.pk}
    current = getattr(unit, step)
    while current is not None and current.pk not in seen:
        found.append(current)
        seen.add(current.pk)
        current = getattr(current, step)
    return found


def unit_merge_refusals(*, keep: Unit, remove: Unit) -> list[str]:
    """Why `remove` cannot be merged into `keep`, as messages to show; empty when it can."""
    if keep.pk == remove.pk:
        return ["Hãy chọn hai đơn vị khác nhau: không thể gộp một đơn vị vào chính nó."]
    if keep.centre_id != remove.centre_id:
        return ["Hai đơn vị thuộc hai trung tâm khác nhau, không thể gộp."]
    refusals = []
    if any(unit.pk == remove.pk for unit in _chain(keep, "merged_into")):
        refusals.append(
            f"Đơn vị {keep.name} đang được ghi là đã sáp nhập vào {remove.name}. Hãy sửa đơn vị "
            f"{keep.name} (để trống «Sáp nhập vào») trước khi gộp."
        )
    if any(unit.pk == remove.pk for unit in _chain(keep, "parent")):
        refusals.append(
            f"Đơn vị {keep.name} trực thuộc {remove.name}: không thể gộp một đơn vị vào đơn vị "
            f"trực thuộc nó. Hãy sửa «Đơn vị cấp trên» của {keep.name} trước khi gộp, hoặc chọn "
            f"giữ lại {remove.name}."
        )
    for messages in unit_merge_refusals_above(keep=keep, remove=remove):
        refusals += messages
    return refusals


def unit_merge_counts(unit: Unit) -> dict[str, int]:
    """What a merge would move away from `unit`."""
    return {
        "trainees": unit.trainees.count(),
        "enrolments": unit.enrolments.count(),
        "merged_from": unit.merged_from.count(),
    }


@transaction.atomic
def unit_merge(*, keep: Unit, remove: Unit, user=None) -> Unit:
    """Merge a duplicate unit into the one kept, then delete the duplicate.

    Trainees whose current unit is the duplicate, enrolments it sent, units recorded as merged
    into it or under it, and the rows of the apps above (once they made way) all move to `keep`;
    `keep` takes the duplicate's address and notes when it has none.
    """
    locked = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk])}
    if len(locked) != 2:
        raise ValidationError("Một trong hai đơn vị không còn tồn tại; hãy tải lại trang.")
    keep, remove = locked[keep.pk], locked[remove.pk]
    refusals = unit_merge_refusals(keep=keep, remove=remove)
    if refusals:
        raise ValidationError(refusals)
    reason = f"Gộp đơn vị trùng {remove.name} (mã {remove.pk}) vào {keep.name} (mã {keep.pk})"
    unit_merge_make_way(keep=keep, remove=remove)
    repoint_references(model=Unit, old=remove, new=keep, user=user, reason=reason)
    changed = []
    if not keep.address and remove.address:
        keep.address = remove.address
        changed.append("address")
    if remove.notes and remove.notes not in keep.notes:
        keep.notes = "\n".join(part for part in (keep.notes, remove.notes) if part)
        changed.append("notes")
    if remove.is_served_commune and not keep.is_served_commune:
        keep.is_served_commune = True
        changed.append("is_served_commune")
    remove._history_user = user
    remove._change_reason = reason
    remove.delete()
    if changed:
        keep._history_user = user
        keep._change_reason = reason
        keep.save(update_fields=changed)
    return keep


def unit_family(units: Unit | QuerySet) -> QuerySet[Unit]:
    """The unit and the units under it, two levels down (a commune's Party committee, its Party
    cells and agencies, and theirs): the one rule of what a unit answers for. `units` is a unit,
    or a queryset of unit ids (`.values("pk")`) for the families of them all in one query."""
    ids = units if isinstance(units, QuerySet) else [units.pk]
    return Unit.objects.filter(Q(pk__in=ids) | Q(parent__in=ids) | Q(parent__parent__in=ids))


def units_answered_by(user) -> QuerySet[Unit]:
    """The units a liaison's login answers for, its unit's family (trungtam.scoping.unit_scope)."""
    return unit_family(UnitAccount.objects.filter(user_id=user.pk).values("unit_id"))
