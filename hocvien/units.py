"""Units that send trainees: creating and correcting them, and merging duplicates.

Two different things are called "merge" here. A unit merged by the 2025 reorganisation keeps its
record and points at the unit it became (`merged_into`, set on the edit form), so old enrolments
still print the name the unit had then. A duplicate — the same unit typed twice — is merged with
`unit_merge`: its trainees and enrolments move to the unit kept and the duplicate is deleted.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from hocvien.models import Unit, UnitAccount, UnitKind
from hocvien.trainees import repoint_references

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


def unit_merge_refusal(*, keep: Unit, remove: Unit) -> str | None:
    if keep.pk == remove.pk:
        return "Hãy chọn hai đơn vị khác nhau: không thể gộp một đơn vị vào chính nó."
    if keep.centre_id != remove.centre_id:
        return "Hai đơn vị thuộc hai trung tâm khác nhau, không thể gộp."
    if keep.merged_into_id == remove.pk:
        return (
            f"Đơn vị {keep.name} đang được ghi là đã sáp nhập vào {remove.name}. Hãy sửa đơn vị "
            f"{keep.name} (để trống «Sáp nhập vào») trước khi gộp."
        )
    return None


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

    Trainees whose current unit is the duplicate, enrolments it sent, and units recorded as merged
    into it all move to `keep`; `keep` takes the duplicate's address and notes when it has none.
    """
    locked = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk])}
    if len(locked) != 2:
        raise ValidationError("Một trong hai đơn vị không còn tồn tại; hãy tải lại trang.")
    keep, remove = locked[keep.pk], locked[remove.pk]
    refusal = unit_merge_refusal(keep=keep, remove=remove)
    if refusal:
        raise ValidationError(refusal)
    reason = f"Gộp đơn vị trùng {remove.name} (mã {remove.pk}) vào {keep.name} (mã {keep.pk})"
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


def units_answered_by(user) -> QuerySet[Unit]:
    """The unit a liaison's login answers for and the units under it, two levels down (a commune's
    Party committee, its Party cells and agencies, and theirs): trungtam.scoping.unit_scope."""
    own = UnitAccount.objects.filter(user_id=user.pk).values("unit_id")
    return Unit.objects.filter(Q(pk__in=own) | Q(parent__in=own) | Q(parent__parent__in=own))
