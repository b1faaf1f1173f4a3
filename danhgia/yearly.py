"""The evaluation's figures for the yearly report: classes that started in the year (as the
report counts them), their answers, per program and per lecturer (3 queries, whatever the size).

A class's marks count toward an average only from MIN_ANSWERS answers (results.shows_figures),
and a program's or lecturer's average shows only when the answers counted reach MIN_ANSWERS too.
Every row says how many answers its average covers (`counted_answers`): a reader must not take an
average of 14 answers for one of all 17.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from danhgia.models import EvaluationAnswer, EvaluationTally, QuestionGroup
from danhgia.results import MIN_ANSWERS, average, shows_figures
from giangvien.models import Lecturer
from trungtam.documents.numbers import format_number
from trungtam.text import title_key

GROUPS = (
    QuestionGroup.CONTENT,
    QuestionGroup.LECTURER,
    QuestionGroup.ORGANISATION,
    QuestionGroup.OVERALL,
)


@dataclass
class ProgramRow:
    program: str
    classes: int
    answers: int
    counted_answers: int  # the answers of its classes with MIN_ANSWERS answers or more
    content: Decimal | None
    lecturers: Decimal | None
    organisation: Decimal | None
    overall: Decimal | None


@dataclass
class LecturerRow:
    name: str  # with the title, "ThS. Nguyễn Thị Ánh Nguyệt", as section IV prints it
    centre: str
    classes: int
    answers: int
    counted_answers: int  # the answers its average covers
    average: Decimal | None
    sort_key: str = ""  # trungtam.text.sort_key of the name without the title


@dataclass
class EvaluationYear:
    year: int
    classes: int
    answers: int
    counted_classes: int = 0  # the classes with MIN_ANSWERS answers or more
    counted_answers: int = 0  # their answers: what the averages cover
    programs: list[ProgramRow] = field(default_factory=list)
    lecturers: list[LecturerRow] = field(default_factory=list)
    overall: Decimal | None = None  # every mark of the counted classes
    by_group: dict = field(default_factory=dict)  # group → average, counted classes

    def sentence(self) -> str:
        if not self.classes:
            return f"Năm {self.year} chưa có lớp nào được học viên đánh giá."
        text = (
            f"Năm {self.year} có {format_number(self.classes)} lớp được học viên đánh giá với "
            f"{format_number(self.answers)} phiếu"
        )
        if self.overall is None:
            return text + "; chưa lớp nào đủ 5 phiếu nên chưa tính điểm bình quân."
        text += f"; điểm bình quân chung {format_number(self.overall, 1)}/5"
        if self.counted_answers < self.answers:
            text += (
                f" (tính trên {format_number(self.counted_answers)} phiếu của "
                f"{format_number(self.counted_classes)} lớp có từ {MIN_ANSWERS} phiếu trở lên)"
            )
        parts = [
            f"{label} {format_number(self.by_group[group], 1)}"
            for group, label in (
                (QuestionGroup.CONTENT, "nội dung chương trình"),
                (QuestionGroup.LECTURER, "giảng viên"),
                (QuestionGroup.ORGANISATION, "tổ chức lớp học"),
                (QuestionGroup.OVERALL, "đánh giá chung"),
            )
            if self.by_group.get(group) is not None
        ]
        if parts:
            text += ", theo từng mặt: " + "; ".join(parts)
        return text + "."


def _sum_average(pairs) -> Decimal | None:
    total = sum(t for t, _ in pairs)
    count = sum(c for _, c in pairs)
    return average(total, count)


def evaluation_year(centre_ids: list[int], year: int) -> EvaluationYear:
    in_year = {"course__centre_id__in": centre_ids, "course__start_date__year": year}
    # 1. Answers per class, with the class's program.
    classes = {
        row["course_id"]: row
        for row in EvaluationAnswer.objects.filter(**in_year)
        .values("course_id", "course__program_id", "course__program__name")
        .annotate(answers=Count("pk"))
        .order_by()
    }
    # 2. Marks summed per class, group and lecturer, from the tallies kept with each answer
    # (averages are computed here, not in SQL).
    marks = (
        EvaluationTally.objects.filter(**in_year)
        .values("course_id", "group", "lecturer_id")
        .annotate(total=Sum("total"), count=Sum("marks"), answers=Sum("answers"))
        .order_by()
    )
    counted = {pk for pk, row in classes.items() if shows_figures(row["answers"])}
    per_program: dict = defaultdict(lambda: defaultdict(list))
    per_group: dict = defaultdict(list)
    per_lecturer: dict = defaultdict(
        lambda: {"classes": set(), "answers": 0, "marks": [], "counted": 0}
    )
    for row in marks:
        course_id = row["course_id"]
        pair = (row["total"], row["count"])
        if row["lecturer_id"] is not None:
            entry = per_lecturer[row["lecturer_id"]]
            entry["classes"].add(course_id)
            entry["answers"] += row["answers"]
            if course_id in counted and shows_figures(row["answers"]):
                entry["marks"].append(pair)
                entry["counted"] += row["answers"]
        if course_id in counted:
            per_program[classes[course_id]["course__program_id"]][row["group"]].append(pair)
            per_group[row["group"]].append(pair)

    programs: dict = {}
    for course_id, row in classes.items():
        entry = programs.setdefault(
            row["course__program_id"],
            {"name": row["course__program__name"], "classes": 0, "answers": 0, "counted": 0},
        )
        entry["classes"] += 1
        entry["answers"] += row["answers"]
        if course_id in counted:
            entry["counted"] += row["answers"]
    program_rows = []
    # Programs in Vietnamese alphabetical order, as the report's other sections list them.
    for program_id, entry in sorted(programs.items(), key=lambda item: title_key(item[1]["name"])):
        groups = per_program.get(program_id, {})
        shown = shows_figures(entry["counted"])

        def group_average(group, groups=groups, shown=shown):
            return _sum_average(groups.get(group, [])) if shown else None

        program_rows.append(
            ProgramRow(
                program=entry["name"],
                classes=entry["classes"],
                answers=entry["answers"],
                counted_answers=entry["counted"],
                content=group_average(QuestionGroup.CONTENT),
                lecturers=group_average(QuestionGroup.LECTURER),
                organisation=group_average(QuestionGroup.ORGANISATION),
                overall=group_average(QuestionGroup.OVERALL),
            )
        )
    # 3. The lecturers' names, titles and centres; in Vietnamese name order (the given name
    # first, trungtam.text.sort_key, stored on the lecturer) as every list of people.
    people = Lecturer.objects.filter(pk__in=list(per_lecturer)).select_related("centre")
    lecturer_rows = []
    for person in people:
        entry = per_lecturer[person.pk]
        shown = shows_figures(entry["counted"])
        lecturer_rows.append(
            LecturerRow(
                name=f"{person.title} {person.full_name}".strip(),
                centre=person.centre.name,
                classes=len(entry["classes"]),
                answers=entry["answers"],
                counted_answers=entry["counted"],
                average=_sum_average(entry["marks"]) if shown else None,
                sort_key=person.sort_key,
            )
        )
    lecturer_rows.sort(key=lambda row: (title_key(row.centre), row.sort_key, row.name))
    all_pairs = [pair for pairs in per_group.values() for pair in pairs]
    return EvaluationYear(
        year=year,
        classes=len(classes),
        answers=sum(row["answers"] for row in classes.values()),
        counted_classes=len(counted),
        counted_answers=sum(classes[pk]["answers"] for pk in counted),
        programs=program_rows,
        lecturers=lecturer_rows,
        overall=_sum_average(all_pairs) if counted else None,
        by_group={group: _sum_average(per_group.get(group, [])) for group in GROUPS},
    )


@dataclass
class CentreEvaluation:
    """One centre's (or the province's) evaluation of the year in the all-centres report: marks
    count only from classes with MIN_ANSWERS answers, and the average shows only when those
    classes' answers reach MIN_ANSWERS too (the same rule as evaluation_year)."""

    classes: int = 0
    answers: int = 0
    counted_answers: int = 0
    mark_total: int = 0
    mark_count: int = 0

    @property
    def average(self) -> Decimal | None:
        if not shows_figures(self.counted_answers):
            return None
        return average(self.mark_total, self.mark_count)

    def add(self, other: "CentreEvaluation") -> None:
        for name in ("classes", "answers", "counted_answers", "mark_total", "mark_count"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def evaluation_by_centre(centre_ids: list[int], year: int) -> dict[int, CentreEvaluation]:
    """Per centre, the classes that started in the year and were evaluated, their answers, and
    every mark of the counted classes: two queries, whatever the number of centres."""
    in_year = {"course__centre_id__in": centre_ids, "course__start_date__year": year}
    classes = {
        row["course_id"]: row
        for row in EvaluationAnswer.objects.filter(**in_year)
        .values("course_id", "course__centre_id")
        .annotate(answers=Count("pk"))
        .order_by()
    }
    marks = (
        EvaluationTally.objects.filter(**in_year)
        .values("course_id")
        .annotate(total=Sum("total"), count=Sum("marks"))
        .order_by()
    )
    by_course = {row["course_id"]: (row["total"], row["count"]) for row in marks}
    result: dict[int, CentreEvaluation] = {}
    for course_id, row in classes.items():
        entry = result.setdefault(row["course__centre_id"], CentreEvaluation())
        entry.classes += 1
        entry.answers += row["answers"]
        if shows_figures(row["answers"]):
            total, count = by_course.get(course_id, (0, 0))
            entry.counted_answers += row["answers"]
            entry.mark_total += total
            entry.mark_count += count
    return result
