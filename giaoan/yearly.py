"""The lesson plans' figures for the yearly report (the lead places them in the report).

A class counts in the year it starts (DESIGN §9), cancelled classes not at all. Of its topics, a
topic "has an approved plan" when its own plan is approved or an approved plan of an earlier class
covers it (reuse, the centre's choice). Versions and returns count every upload and every
«trả lại» of the year's classes. Three queries, whatever the number of classes.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from lophoc.models import CourseStatus, Topic
from trungtam.documents.numbers import format_number, format_percent

from .coverage import topic_coverage
from .models import LessonPlanVersion, PlanStatus


@dataclass(frozen=True)
class LessonPlanYear:
    year: int
    topics: int
    approved: int  # own plan approved, or covered by a reused one
    reused: int  # of `approved`, covered by an earlier class's plan
    versions: int
    returned: int  # versions returned with comments

    def sentence(self) -> str:
        if not self.topics:
            return f"Năm {self.year} chưa có chuyên đề nào của các lớp để duyệt giáo án."
        text = (
            f"Giáo án: {format_number(self.approved)}/{format_number(self.topics)} chuyên đề "
            f"của các lớp mở năm {self.year} có giáo án đã duyệt "
            f"({format_percent(self.approved, self.topics)})"
        )
        if self.reused:
            text += (
                f", trong đó {format_number(self.reused)} dùng lại giáo án đã duyệt của lớp trước"
            )
        return (
            text + f"; {format_number(self.versions)} lượt tải lên, "
            f"{format_number(self.returned)} lượt trả lại để sửa."
        )


def lesson_plan_year(centre_ids: list[int], year: int) -> LessonPlanYear:
    topics = list(
        Topic.objects.filter(course__centre_id__in=centre_ids, course__start_date__year=year)
        .exclude(course__status=CourseStatus.CANCELLED)
        .select_related("course", "lesson_plan")
    )
    cover = topic_coverage(topics, plans_loaded=True)
    approved = [c for c in cover.values() if c.approved]
    counts = (
        LessonPlanVersion.objects.filter(
            plan__topic__course__centre_id__in=centre_ids,
            plan__topic__course__start_date__year=year,
        )
        .exclude(plan__topic__course__status=CourseStatus.CANCELLED)
        .aggregate(versions=Count("pk"), returned=Count("pk", filter=Q(status=PlanStatus.RETURNED)))
    )
    return LessonPlanYear(
        year=year,
        topics=len(topics),
        approved=len(approved),
        reused=sum(
            1
            for c in approved
            if c.reused is not None and not (c.plan and c.plan.status == PlanStatus.APPROVED)
        ),
        versions=counts["versions"],
        returned=counts["returned"],
    )
