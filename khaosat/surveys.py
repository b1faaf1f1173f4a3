"""The needs survey's rules: open (prepare), send, answer, close, and the totals per program.

Staff prepare a survey for a year (one per centre and year) with a deadline and the units asked,
send it (each unit is notified), and close it. A unit answers — or staff type its paper form — with
the number of people it expects to send to each program of the centre's catalogue; it may change
its answer until the deadline (end of that day) or until the survey is closed.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from hocvien.models import Unit, UnitKind
from khaosat.models import Survey, SurveyAnswer, SurveyLine, SurveyStatus, SurveyUnit
from lophoc.models import Program, ProgramSystem
from thongbao.models import NotificationKind
from thongbao.notify import notify
from trungtam.documents.numbers import format_number
from trungtam.models import Centre, User
from trungtam.scoping import visible
from trungtam.text import sort_key

# The kinds of unit asked unless staff choose otherwise: communes, wards, special zones, Party
# organisations and agencies (schools, enterprises, mass organisations… are added by hand).
DEFAULT_KINDS = (
    UnitKind.COMMUNE,
    UnitKind.WARD,
    UnitKind.SPECIAL_ZONE,
    UnitKind.PARTY_ORG,
    UnitKind.AGENCY,
)
# How far ahead a survey may be opened.
YEARS_AHEAD = 5
MAX_EXPECTED = 99_999  # as the annual plan's largest target
LINE_NOTE_LENGTH = 300
NOTE_LENGTH = 2000

_SYSTEM_ORDER = {system.value: index for index, system in enumerate(ProgramSystem)}


class SurveyExists(ValidationError):
    """The centre already has a survey for that year; `survey` is it."""

    def __init__(self, survey: Survey):
        self.survey = survey
        super().__init__(
            {
                "year": f"{survey.centre.name} đã có khảo sát nhu cầu năm {survey.year}: mỗi trung "
                "tâm chỉ khảo sát một lần cho mỗi năm. Hãy mở khảo sát đó để sửa hoặc theo dõi."
            }
        )


def program_order(program) -> tuple:
    """The catalogue's order: by system (Đảng, Nhà nước, …), then by name, word by word."""
    words = tuple(sort_key(word) for word in program.name.split())
    return (_SYSTEM_ORDER.get(program.system, 99), words, program.pk)


# --- who is asked -------------------------------------------------------------------------------


def askable_units(centre: Centre) -> QuerySet[Unit]:
    """The units a survey of `centre` may ask: its units still in use."""
    return Unit.objects.filter(centre=centre, active=True, merged_into__isnull=True)


def default_units(centre: Centre) -> QuerySet[Unit]:
    """The units asked unless staff choose otherwise (DEFAULT_KINDS)."""
    return askable_units(centre).filter(kind__in=DEFAULT_KINDS)


def answerable(user: User, survey: Survey) -> QuerySet[SurveyUnit]:
    """The units asked by `survey` that `user` may answer for (for a liaison: its unit and the
    units under it; for staff: every unit asked)."""
    return visible(user, SurveyUnit.objects.filter(survey=survey)).select_related("unit")


def open_survey_for(user: User) -> Survey | None:
    """The open survey addressed to one of the units this liaison answers for (the latest year
    first), or None."""
    asked = visible(user, SurveyUnit.objects.filter(survey__status=SurveyStatus.OPEN))
    found = (
        asked.select_related("survey", "survey__centre")
        .order_by("-survey__year", "-survey_id")
        .first()
    )
    return found.survey if found is not None else None


# --- checks -------------------------------------------------------------------------------------


def _check_deadline(deadline: datetime.date | None, *, field: str = "deadline") -> None:
    if deadline is None:
        raise ValidationError({field: "Hãy nhập hạn trả lời, ví dụ 15/11/2026."})
    today = timezone.localdate()
    if deadline < today:
        raise ValidationError(
            {
                field: f"Hạn trả lời {deadline:%d/%m/%Y} đã qua (hôm nay là {today:%d/%m/%Y}). "
                "Hãy chọn hôm nay hoặc một ngày sau."
            }
        )


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "Hãy nhập năm bằng số, ví dụ 2027."}) from None
    this_year = timezone.localdate().year
    if not this_year <= year <= this_year + YEARS_AHEAD:
        raise ValidationError(
            {
                "year": f"Khảo sát nhu cầu là cho năm sắp tới: hãy chọn năm từ {this_year} đến "
                f"{this_year + YEARS_AHEAD}, thường là năm {this_year + 1}."
            }
        )
    return year


def _checked_units(centre: Centre, units) -> list[Unit]:
    units = list(units)
    if not units:
        raise ValidationError({"units": "Hãy chọn ít nhất một đơn vị được khảo sát."})
    allowed = set(askable_units(centre).filter(pk__in=[u.pk for u in units]).values_list("pk"))
    allowed = {pk for (pk,) in allowed}
    wrong = [u.name for u in units if u.pk not in allowed]
    if wrong:
        raise ValidationError(
            {
                "units": "Không khảo sát được: "
                + ", ".join(wrong)
                + f" (không thuộc {centre.name}, đã sáp nhập hoặc ngừng hoạt động)."
            }
        )
    return units


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().select_related("centre").get(pk=survey.pk)


def answer_link(survey: Survey) -> str:
    return reverse("khaosat:answer", args=[survey.pk])


def _notify_opened(survey: Survey, units) -> int:
    sent = 0
    title = (
        f"{survey.centre.name} khảo sát nhu cầu bồi dưỡng năm {survey.year}: hãy trả lời trước "
        f"ngày {survey.deadline:%d/%m/%Y}."
    )
    for unit in units:
        found = notify(
            unit,
            kind=NotificationKind.SURVEY_OPENED,
            title=title,
            link=answer_link(survey),
            key=f"survey:{survey.pk}:opened",
        )
        sent += found is not None
    return sent


# --- staff: open, change, send, close -----------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    centre: Centre,
    year,
    deadline: datetime.date | None,
    note: str = "",
    units=None,
    user: User | None = None,
) -> Survey:
    """A survey being prepared (not yet sent) for the centre and year, asking `units` (default:
    `default_units`). Raises SurveyExists for a second survey of the same year."""
    year = _check_year(year)
    existing = Survey.objects.select_related("centre").filter(centre=centre, year=year).first()
    if existing is not None:
        raise SurveyExists(existing)
    _check_deadline(deadline)
    units = _checked_units(centre, default_units(centre) if units is None else units)
    survey = Survey(
        centre=centre, year=year, deadline=deadline, note=(note or "").strip(), created_by=user
    )
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError:  # the same survey opened a moment ago by someone else
        existing = Survey.objects.select_related("centre").filter(centre=centre, year=year).first()
        if existing is None:
            raise
        raise SurveyExists(existing) from None
    SurveyUnit.objects.bulk_create([SurveyUnit(survey=survey, unit=unit) for unit in units])
    return survey


@dataclass
class UpdateResult:
    added: int = 0
    removed: int = 0
    notified: int = 0


@transaction.atomic
def survey_update(
    *, survey: Survey, deadline: datetime.date | None, note: str, units
) -> UpdateResult:
    """Change the deadline, the note and the units asked of a survey not yet closed. Units that
    answered stay asked; units added to a survey already sent are notified."""
    survey = _locked(survey)
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError(
            f"Khảo sát nhu cầu năm {survey.year} đã đóng: không sửa được nữa. Số liệu vẫn xem và "
            "tải được."
        )
    if deadline != survey.deadline:
        _check_deadline(deadline)
    units = _checked_units(survey.centre, units)
    current = set(survey.asked.values_list("unit_id", flat=True))
    wanted = {unit.pk for unit in units}
    answered = dict(
        survey.answers.filter(unit_id__in=current - wanted).values_list("unit_id", "unit__name")
    )
    if answered:
        raise ValidationError(
            {
                "units": "Không bỏ được đơn vị đã trả lời khảo sát: "
                + ", ".join(sorted(answered.values()))
                + ". Hãy giữ các đơn vị này trong danh sách."
            }
        )
    added = [unit for unit in units if unit.pk not in current]
    SurveyUnit.objects.filter(survey=survey, unit_id__in=current - wanted).delete()
    SurveyUnit.objects.bulk_create([SurveyUnit(survey=survey, unit=unit) for unit in added])
    survey.deadline = deadline
    survey.note = (note or "").strip()
    survey.save(update_fields=["deadline", "note"])
    result = UpdateResult(added=len(added), removed=len(current - wanted))
    if survey.status == SurveyStatus.OPEN:
        result.notified = _notify_opened(survey, added)
    return result


@transaction.atomic
def survey_publish(*, survey: Survey) -> int:
    """Send a survey being prepared: it opens for answers and every unit asked is notified.
    Returns how many units were notified."""
    survey = _locked(survey)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(
            f"Khảo sát nhu cầu năm {survey.year} đã được gửi đến các đơn vị rồi"
            + (" và đã đóng." if survey.status == SurveyStatus.CLOSED else ".")
        )
    _check_deadline(survey.deadline)
    units = [asked.unit for asked in survey.asked.select_related("unit")]
    if not units:
        raise ValidationError(
            "Khảo sát chưa hỏi đơn vị nào: hãy bấm «Sửa» và chọn các đơn vị được khảo sát."
        )
    survey.status = SurveyStatus.OPEN
    survey.published_at = timezone.now()
    survey.save(update_fields=["status", "published_at"])
    return _notify_opened(survey, units)


@transaction.atomic
def survey_close(*, survey: Survey) -> Survey:
    """Close a survey that was sent: no answer changes any more."""
    survey = _locked(survey)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(
            f"Khảo sát nhu cầu năm {survey.year} "
            + ("đã đóng rồi." if survey.status == SurveyStatus.CLOSED else "chưa được gửi.")
        )
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    return survey


# --- answering ----------------------------------------------------------------------------------


def answer_refusal(survey: Survey, *, on_paper: bool = False) -> str | None:
    """Why an answer may not be given or changed now, or None. Staff typing a paper form are not
    held to the deadline (the form may come by post), only to the survey being open."""
    if survey.status == SurveyStatus.DRAFT:
        return f"Khảo sát nhu cầu năm {survey.year} chưa được gửi đến các đơn vị."
    if survey.status == SurveyStatus.CLOSED:
        return (
            f"Khảo sát nhu cầu năm {survey.year} đã đóng: không gửi hoặc sửa phiếu được nữa. "
            "Nếu cần thay đổi, hãy liên hệ cán bộ trung tâm."
        )
    if not on_paper and survey.deadline < timezone.localdate():
        return (
            f"Đã quá hạn trả lời khảo sát ({survey.deadline:%d/%m/%Y}): không gửi hoặc sửa phiếu "
            "được nữa. Nếu cần thay đổi, hãy liên hệ cán bộ trung tâm."
        )
    return None


def survey_programs(survey: Survey, answer: SurveyAnswer | None = None) -> list[Program]:
    """The rows of the answer form: the centre's programs in use, and those the answer already
    names, in the catalogue's order (one query)."""
    programs = Program.objects.filter(centre_id=survey.centre_id)
    if answer is not None and answer.pk:
        programs = programs.filter(Q(active=True) | Q(survey_lines__answer=answer)).distinct()
    else:
        programs = programs.filter(active=True)
    return sorted(programs.only("pk", "name", "system", "active"), key=program_order)


@dataclass(frozen=True)
class LineInput:
    """One row of the answer: the program and what was typed (already converted)."""

    program_id: int
    expected: int = 0
    note: str = ""

    @property
    def empty(self) -> bool:
        return not (self.expected or self.note.strip())


def _line_errors(program: Program, line: LineInput) -> list[str]:
    label = f"Dòng «{program.name}»"
    errors = []
    value = line.expected
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_EXPECTED:
        errors.append(
            f'{label}, cột "Số học viên dự kiến": "{value}" phải là số nguyên từ 0 đến '
            f"{format_number(MAX_EXPECTED)}."
        )
    if len(line.note or "") > LINE_NOTE_LENGTH:
        errors.append(
            f'{label}, cột "Ghi chú": dài {len(line.note)} ký tự, tối đa {LINE_NOTE_LENGTH}.'
        )
    return errors


@transaction.atomic
def answer_save(
    *,
    survey: Survey,
    unit: Unit,
    lines: list[LineInput],
    note: str = "",
    user: User | None = None,
    on_paper: bool = False,
) -> SurveyAnswer:
    """Store a unit's answer, all or nothing: the whole answer replaces the previous one (a row
    left at 0 without a note has no line). Everything is checked before anything is written: the
    survey open (and, for the unit itself, the deadline not past), the unit asked, every program
    one of the survey's centre."""
    survey = _locked(survey)
    refusal = answer_refusal(survey, on_paper=on_paper)
    if refusal:
        raise ValidationError(refusal)
    if unit.centre_id != survey.centre_id or not survey.asked.filter(unit=unit).exists():
        raise ValidationError(
            f"{unit.name} không nằm trong danh sách đơn vị được khảo sát nhu cầu năm "
            f"{survey.year}: không ghi phiếu cho đơn vị này được."
        )
    answer = SurveyAnswer.objects.filter(survey=survey, unit=unit).first()
    programs = {program.pk: program for program in survey_programs(survey, answer)}
    errors: list[str] = []
    seen: set[int] = set()
    for line in lines:
        program = programs.get(line.program_id)
        if program is None:
            errors.append(
                f"Chương trình mã số {line.program_id} không thuộc danh mục chương trình của "
                f"{survey.centre.name}: không ghi số liệu cho chương trình này được."
            )
            continue
        if line.program_id in seen:
            errors.append(f"Dòng «{program.name}» được nhập hai lần.")
            continue
        seen.add(line.program_id)
        errors += _line_errors(program, line)
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        errors.append(f"Ý kiến chung dài {len(note)} ký tự, tối đa {format_number(NOTE_LENGTH)}.")
    if errors:
        raise ValidationError(errors)

    if answer is None:
        answer = SurveyAnswer(survey=survey, unit=unit)
    answer.submitted_at = timezone.now()
    answer.submitted_by = user
    answer.on_paper = on_paper
    answer.note = note
    answer.save()
    answer.lines.all().delete()
    SurveyLine.objects.bulk_create(
        [
            SurveyLine(
                answer=answer,
                program_id=line.program_id,
                expected=line.expected,
                note=(line.note or "").strip(),
            )
            for line in lines
            if not line.empty
        ]
    )
    return answer


# --- following the answers ----------------------------------------------------------------------


@dataclass
class ProgramTotal:
    program_id: int
    name: str
    system: str
    active: bool = True
    expected: int = 0  # trainees asked for, summed over the answers
    units: int = 0  # units asking for at least one


def demand_by_program(centre_id: int, year: int) -> dict[int, tuple[int, int]]:
    """{program id: (trainees asked for, units asking)} over the answers to the centre's survey
    of `year` (one query; empty without a survey or answers)."""
    rows = (
        SurveyLine.objects.filter(
            answer__survey__centre_id=centre_id, answer__survey__year=year, expected__gt=0
        )
        .values("program_id")
        .annotate(total=Sum("expected"), units=Count("answer__unit", distinct=True))
        .order_by()
    )
    return {row["program_id"]: (row["total"] or 0, row["units"]) for row in rows}


def survey_totals(survey: Survey) -> list[ProgramTotal]:
    """Per program of the catalogue (in use, or named by an answer): the trainees asked for and
    the number of units asking, in the catalogue's order (two queries)."""
    demand = demand_by_program(survey.centre_id, survey.year)
    programs = Program.objects.filter(centre_id=survey.centre_id).filter(
        Q(active=True) | Q(pk__in=list(demand))
    )
    rows = []
    for program in sorted(programs.only("pk", "name", "system", "active"), key=program_order):
        expected, units = demand.get(program.pk, (0, 0))
        rows.append(
            ProgramTotal(program.pk, program.name, program.system, program.active, expected, units)
        )
    return rows


@dataclass
class UnitStatus:
    unit: Unit
    answer: SurveyAnswer | None = None
    expected: int = 0

    @property
    def answered(self) -> bool:
        return self.answer is not None


def unit_statuses(survey: Survey, asked: list[SurveyUnit]) -> list[UnitStatus]:
    """For the units of `asked` (a page of them): their answer, if any, and the trainees it asks
    for (one query)."""
    answers = {
        answer.unit_id: answer
        for answer in SurveyAnswer.objects.filter(
            survey=survey, unit_id__in=[a.unit_id for a in asked]
        )
        .select_related("submitted_by")
        .annotate(expected=Sum("lines__expected"))
    }
    result = []
    for row in asked:
        answer = answers.get(row.unit_id)
        result.append(
            UnitStatus(row.unit, answer, (answer.expected or 0) if answer is not None else 0)
        )
    return result


def answer_counts(survey: Survey) -> tuple[int, int]:
    """(units asked, units asked that answered) — two queries."""
    asked = SurveyUnit.objects.filter(survey=survey)
    answered = SurveyAnswer.objects.filter(survey=survey, unit_id__in=asked.values("unit_id"))
    return asked.count(), answered.count()


def answer_matrix(survey: Survey) -> dict[int, dict[int, int]]:
    """{unit id: {program id: expected}} over every answer (one query), for the XLSX."""
    matrix: dict[int, dict[int, int]] = {}
    for unit_id, program_id, expected in SurveyLine.objects.filter(
        answer__survey=survey
    ).values_list("answer__unit_id", "program_id", "expected"):
        matrix.setdefault(unit_id, {})[program_id] = expected
    return matrix
