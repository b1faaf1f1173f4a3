"""What the answers say: per class, per lecturer and year. Each runs a fixed number of queries;
averages are computed here, not in SQL (rounding differs between databases).

The one rule that protects the trainees: with fewer than MIN_ANSWERS answers, only counts are
shown — no average, no distribution, no comment — so nobody can be singled out (`shows_figures`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from danhgia.models import (
    GROUP_ORDER,
    EvaluationAnswer,
    EvaluationCode,
    EvaluationMark,
    EvaluationTally,
    QuestionGroup,
)
from giangvien.models import Lecturer
from lophoc.models import Course

MIN_ANSWERS = 5
ONE_DECIMAL = Decimal("0.1")


def shows_figures(answers: int) -> bool:
    """Averages, distributions and comments only from MIN_ANSWERS answers on."""
    return answers >= MIN_ANSWERS


def average(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """Marks of one question (or group): counts per mark 1..5 and of «không ý kiến»."""

    counts: dict = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))
    no_opinion: int = 0

    def add(self, value: int | None) -> None:
        if value is None:
            self.no_opinion += 1
        else:
            self.counts[value] += 1

    def merge(self, other: "Tally") -> None:
        for value, count in other.counts.items():
            self.counts[value] += count
        self.no_opinion += other.no_opinion

    @property
    def marked(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> Decimal | None:
        return average(sum(v * c for v, c in self.counts.items()), self.marked)

    @property
    def distribution(self) -> list[tuple[int, int]]:
        return [(value, self.counts[value]) for value in range(5, 0, -1)]


@dataclass
class QuestionRow:
    text: str
    tally: Tally


@dataclass
class Block:
    """A group of the form (or one lecturer's block) with its questions' rows."""

    title: str
    rows: list[QuestionRow]
    lecturer_id: int | None = None
    answers: int = 0  # a lecturer's block: the answers that rated them

    @property
    def average(self) -> Decimal | None:
        total = Tally()
        for row in self.rows:
            total.merge(row.tally)
        return total.average


@dataclass
class ClassResults:
    course: Course
    answers: int
    paper: int
    codes: int
    used_codes: int
    shown: bool
    blocks: list[Block]
    lecturer_blocks: list[Block]
    comments: list[str]
    lecturers_hidden: bool  # a lecturer sees only their own block


def _rows(marks, key) -> list[QuestionRow]:
    """Question rows from mark tuples (order, question_id, text, value) in the form's order."""
    tallies: dict = {}
    for order, question_id, text, value in marks:
        tallies.setdefault((order, question_id, text), Tally()).add(value)
    return [QuestionRow(text, tally) for (_, _, text), tally in sorted(tallies.items(), key=key)]


def class_results(
    course: Course, *, lecturer_ids: set[int] | None = None, with_comments: bool = False
) -> ClassResults:
    """The class's figures (5 queries). `lecturer_ids`: the lecturer blocks the reader may see
    (None: all); `with_comments`: staff read the comments (still under the MIN_ANSWERS rule)."""
    answers = list(course.evaluation_answers.values_list("on_paper", flat=True))
    codes = list(course.evaluation_codes.values_list("used", flat=True))
    count = len(answers)
    shown = shows_figures(count)
    blocks: list[Block] = []
    lecturer_blocks: list[Block] = []
    comments: list[str] = []
    if shown:
        by_group = defaultdict(list)
        by_lecturer = defaultdict(list)
        rated_by = defaultdict(set)  # lecturer → the answers that rated them
        marks = EvaluationMark.objects.filter(answer__course=course).values_list(
            "group",
            "lecturer_id",
            "question__order",
            "question_id",
            "question_text",
            "value",
            "answer_id",
        )
        for group, lecturer_id, order, question_id, text, value, answer_id in marks:
            if group == QuestionGroup.LECTURER:
                if lecturer_id is not None and (
                    lecturer_ids is None or lecturer_id in lecturer_ids
                ):
                    by_lecturer[lecturer_id].append((order, question_id, text, value))
                    if value is not None:
                        rated_by[lecturer_id].add(answer_id)
            else:
                by_group[group].append((order, question_id, text, value))
        key = lambda item: (item[0][0], item[0][1], item[0][2])  # noqa: E731
        for group in GROUP_ORDER:
            if group in by_group:
                blocks.append(Block(QuestionGroup(group).label, _rows(by_group[group], key)))
        names = dict(
            Lecturer.objects.filter(pk__in=list(by_lecturer)).values_list("pk", "full_name")
        )
        for lecturer_id in sorted(by_lecturer, key=lambda pk: names.get(pk, "")):
            # The 5-answer rule holds for each lecturer too (their questions may be left blank):
            # under it, the block shows how many rated them and nothing more.
            rated = len(rated_by[lecturer_id])
            lecturer_blocks.append(
                Block(
                    f"Giảng viên {names.get(lecturer_id, '')}",
                    _rows(by_lecturer[lecturer_id], key) if shows_figures(rated) else [],
                    lecturer_id=lecturer_id,
                    answers=rated,
                )
            )
        if with_comments:
            comments = [
                text
                for text in course.evaluation_answers.exclude(comments="")
                .order_by("pk")
                .values_list("comments", flat=True)
            ]
    return ClassResults(
        course=course,
        answers=count,
        paper=sum(1 for on_paper in answers if on_paper),
        codes=len(codes),
        used_codes=sum(codes),
        shown=shown,
        blocks=blocks,
        lecturer_blocks=lecturer_blocks,
        comments=comments,
        lecturers_hidden=lecturer_ids is not None,
    )


def class_counts(course: Course) -> tuple[int, int]:
    """(answers, codes) of the class: what the class page's panel shows (2 queries)."""
    return (
        EvaluationAnswer.objects.filter(course=course).count(),
        course.evaluation_codes.count(),
    )


# --- a lecturer's year -------------------------------------------------------------------------


@dataclass
class LecturerClassRow:
    course_id: int
    code: str
    name: str
    answers: int
    average: Decimal | None  # None under MIN_ANSWERS


@dataclass
class LecturerYear:
    year: int
    classes: list[LecturerClassRow]
    answers: int  # answers that rated this lecturer, every class of the year
    counted_answers: int  # of those, in classes with MIN_ANSWERS answers or more
    shown: bool
    criteria: list[QuestionRow]
    overall: Decimal | None


def lecturer_year(lecturer: Lecturer, year: int) -> LecturerYear:
    """How trainees rated the lecturer in classes that started in `year` (1 query): a class's
    marks count from MIN_ANSWERS answers; the year's averages show from MIN_ANSWERS counted."""
    marks = list(
        EvaluationMark.objects.filter(
            lecturer=lecturer,
            group=QuestionGroup.LECTURER,
            answer__course__start_date__year=year,
        )
        .order_by("answer__course__start_date", "answer__course_id", "pk")
        .values_list(
            "answer_id",
            "answer__course_id",
            "answer__course__code",
            "answer__course__name",
            "question__order",
            "question_id",
            "question_text",
            "value",
        )
    )
    per_class: dict = {}
    for answer_id, course_id, code, name, order, question_id, text, value in marks:
        entry = per_class.setdefault(
            course_id, {"code": code, "name": name, "answers": set(), "marks": []}
        )
        entry["answers"].add(answer_id)
        entry["marks"].append((order, question_id, text, value))
    classes = []
    counted_marks = []
    counted_answers = 0
    for course_id, entry in per_class.items():
        answers = len(entry["answers"])
        tally = Tally()
        for *_, value in entry["marks"]:
            tally.add(value)
        shown = shows_figures(answers)
        if shown:
            counted_answers += answers
            counted_marks += entry["marks"]
        classes.append(
            LecturerClassRow(
                course_id, entry["code"], entry["name"], answers, tally.average if shown else None
            )
        )
    shown = shows_figures(counted_answers)
    criteria = _rows(counted_marks, lambda item: item[0]) if shown else []
    overall = None
    if shown:
        total = Tally()
        for row in criteria:
            total.merge(row.tally)
        overall = total.average
    return LecturerYear(
        year=year,
        classes=classes,
        answers=sum(row.answers for row in classes),
        counted_answers=counted_answers,
        shown=shown,
        criteria=criteria,
        overall=overall,
    )


# --- the list of classes (/danh-gia/) -----------------------------------------------------------


@dataclass(frozen=True)
class ClassLine:
    course: Course
    answers: int
    codes: int
    overall: Decimal | None  # the overall mark's average, from MIN_ANSWERS answers on


def _per_course(model, ids: list[int]) -> dict[int, int]:
    """How many rows of `model` each of these classes has (one query)."""
    rows = model.objects.filter(course_id__in=ids).values("course_id").annotate(n=Count("pk"))
    return dict(rows.values_list("course_id", "n").order_by())


def class_lines(courses: list[Course]) -> list[ClassLine]:
    """Answers, codes and the overall mark of each class (three queries, whatever the number):
    the list of evaluations staff and officials open first."""
    ids = [course.pk for course in courses]
    answers, codes = _per_course(EvaluationAnswer, ids), _per_course(EvaluationCode, ids)
    overall = {
        row["course_id"]: (row["total"], row["marks"])
        for row in EvaluationTally.objects.filter(
            course_id__in=ids, group=QuestionGroup.OVERALL, lecturer__isnull=True
        )
        .values("course_id")
        .annotate(total=Sum("total"), marks=Sum("marks"))
        .order_by()
    }
    lines = []
    for course in courses:
        count = answers.get(course.pk, 0)
        total, marks = overall.get(course.pk, (0, 0))
        lines.append(
            ClassLine(
                course=course,
                answers=count,
                codes=codes.get(course.pk, 0),
                overall=average(total, marks) if shows_figures(count) else None,
            )
        )
    return lines
