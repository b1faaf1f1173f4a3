"""What the calls for nominees tell the layers below it (DESIGN §3), registered by
`ChieusinhConfig.ready()`."""

from django.db.models import Exists, OuterRef, Q

from chieusinh.models import CallAnswer, CallAnswerLine, CallQuota
from hocvien import trainees, units
from hocvien.models import Trainee, Unit


def register() -> None:
    units.unit_merge_refusals_above.register(_unit_merge_refusals)
    units.unit_merge_make_way.register(_unit_merge_make_way)
    trainees.trainee_merge_make_way.register(_trainee_merge_make_way)


def _answered() -> Q:
    """A list the unit has started or sent (an empty draft is nothing yet)."""
    lines = CallAnswerLine.objects.filter(answer=OuterRef("pk"))
    return Q(submitted_at__isnull=False) | Q(Exists(lines))


def _unit_merge_refusals(*, keep: Unit, remove: Unit) -> list[str]:
    """A unit sends one list per call: two lists cannot become one unit's."""
    kept = CallAnswer.objects.filter(_answered(), unit=keep).values("call_id")
    both = (
        CallAnswer.objects.filter(_answered(), unit=remove, call_id__in=kept)
        .select_related("call", "call__course")
        .order_by("call__deadline", "call_id")
    )
    return [
        f"Hai đơn vị cùng đã trả lời thông báo chiêu sinh lớp {answer.call.course.code} – "
        f"{answer.call.course.name}: hãy sửa thông báo chiêu sinh, bỏ chỉ tiêu của một trong hai "
        "đơn vị (danh sách của đơn vị đó bỏ theo; người cần cử thì thêm vào danh sách còn lại), "
        "rồi gộp."
        for answer in both
    ]


def _unit_merge_make_way(*, keep: Unit, remove: Unit) -> None:
    """A call asks a unit once and takes one list from it. Where both were asked, the kept unit's
    quota becomes the larger of the two; where at most one of them started a list, the empty
    draft goes (the merge is refused when both did)."""
    kept_quotas = {quota.call_id: quota for quota in CallQuota.objects.filter(unit=keep)}
    for quota in CallQuota.objects.filter(unit=remove, call_id__in=kept_quotas):
        kept = kept_quotas[quota.call_id]
        if quota.quota > kept.quota:
            kept.quota = quota.quota
            kept.save(update_fields=["quota"])
        quota.delete()
    kept_answers = {answer.call_id: answer for answer in CallAnswer.objects.filter(unit=keep)}
    removed = CallAnswer.objects.filter(unit=remove, call_id__in=kept_answers)
    started = set(
        CallAnswer.objects.filter(_answered(), unit__in=[keep, remove]).values_list("pk", flat=True)
    )
    for answer in removed:
        if answer.pk not in started:
            answer.delete()
        else:
            kept_answers[answer.call_id].delete()


def _trainee_merge_make_way(*, keep: Trainee, remove: Trainee) -> None:
    """A list names a person once: where both records are on the same list, the removed record's
    line goes; the kept line counts as enrolled when either was."""
    kept = {line.answer_id: line for line in CallAnswerLine.objects.filter(trainee=keep)}
    for line in CallAnswerLine.objects.filter(trainee=remove, answer_id__in=kept):
        kept_line = kept[line.answer_id]
        if line.enrolled and not kept_line.enrolled:
            kept_line.enrolled = True
            kept_line.skipped_reason = ""
            kept_line.save(update_fields=["enrolled", "skipped_reason"])
        line.delete()
