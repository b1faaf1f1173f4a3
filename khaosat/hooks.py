"""What the needs survey tells the layers below it (DESIGN §3), registered by
`KhaosatConfig.ready()`."""

from hocvien import units
from hocvien.models import Unit
from khaosat.models import SurveyAnswer, SurveyUnit


def register() -> None:
    units.unit_merge_refusals_above.register(_unit_merge_refusals)
    units.unit_merge_make_way.register(_unit_merge_make_way)


def _unit_merge_refusals(*, keep: Unit, remove: Unit) -> list[str]:
    """A unit answers a survey once: two answers cannot become one unit's."""
    both = SurveyAnswer.objects.filter(unit=remove, survey__answers__unit=keep).select_related(
        "survey"
    )
    return [
        f"Hai đơn vị cùng đã trả lời khảo sát nhu cầu bồi dưỡng năm {answer.survey.year}: mỗi "
        "đơn vị chỉ có một phiếu cho một khảo sát nên không gộp được. Hãy để hai đơn vị riêng; "
        "số liệu của cả hai phiếu vẫn được cộng vào tổng hợp."
        for answer in both.order_by("survey__year", "survey_id")
    ]


def _unit_merge_make_way(*, keep: Unit, remove: Unit) -> None:
    """A survey asks a unit once: the duplicate's ask of a survey that asks the kept unit goes."""
    kept = SurveyUnit.objects.filter(unit=keep).values("survey_id")
    SurveyUnit.objects.filter(unit=remove, survey_id__in=kept).delete()
