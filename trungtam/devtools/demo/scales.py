"""What each scale of the demo opens: classes by program and month, and the anchors around today."""

from dataclasses import dataclass

from lophoc.models import CourseStatus

SCALES = ("small", "demo")
CLOSED, GRADING, IN_PROGRESS = CourseStatus.CLOSED, CourseStatus.GRADING, CourseStatus.IN_PROGRESS
ENROLLING, PLANNED, CANCELLED = CourseStatus.ENROLLING, CourseStatus.PLANNED, CourseStatus.CANCELLED

# --- what each scale opens ---------------------------------------------------------------------
# Last year's classes and this year's classes away from today are "PROGRAM month" items (a third
# word "hủy" marks a cancelled class); anchors are this year's classes placed around today so that
# every status shows.


@dataclass(frozen=True)
class Anchor:
    program: str
    status: str
    # grading: days between its last day and today; share of trainees already graded
    ended_days_ago: int = 5
    graded_share: float = 1.0


@dataclass(frozen=True)
class CentreSlate:
    last_year: str
    this_year: str
    anchors: tuple[Anchor, ...]


def slate_items(text: str) -> list[tuple]:
    """'KND 3, QLNN 10 hủy' → [('KND', 3), ('QLNN', 10, 'cancelled')]."""
    items = []
    for part in text.split(","):
        words = part.split()
        if words:
            extra = ("cancelled",) if words[2:] == ["hủy"] else ()
            items.append((words[0], int(words[1]), *extra))
    return items


@dataclass(frozen=True)
class Scale:
    name: str
    trainees: tuple[int, int]  # per class, min and max
    small_staff: bool  # only the lecturers marked in_small
    slates: dict


DEMO_SCALE = Scale(
    name="demo",
    trainees=(32, 65),
    small_staff=False,
    slates={
        "PL": CentreSlate(
            last_year="CNKT 2, KND 3, SC 3, DVM 4, QLNN 5, KND 5, MTDT 6, NVD 6, GVH 7, CUV 7, "
            "QPAN 8, DVM 8, KND 9, CNKT 9, NVD 10, QLNN 10 hủy, KND 11, DVM 12",
            this_year="CNKT 2, KND 3, DVM 4, QPAN 4 hủy, QLNN 5, KND 5, MTDT 6, NVD 6, GVH 7, "
            "QPAN 8, DVM 8, KND 9, CNKT 9",
            anchors=(
                Anchor("NVD", GRADING, ended_days_ago=11, graded_share=0.7),
                Anchor("DVM", GRADING, ended_days_ago=4),
                Anchor("KND", IN_PROGRESS),
                Anchor("DVM", ENROLLING),
                Anchor("CUV", PLANNED),
            ),
        ),
        "BM": CentreSlate(
            last_year="CNKT 2, KND 3, DVM 4, QLNN 4, KND 5, MTDT 6, GVH 7, QPAN 8, KND 8, DVM 9, "
            "NVD 9, CUV 10, QLNN 10, MTDT 11 hủy, KND 11, CNKT 11, DVM 12",
            this_year="CNKT 2, KND 3, DVM 4, QLNN 4, KND 5, MTDT 6, GVH 7, QPAN 8, KND 8, DVM 9, "
            "NVD 9, CUV 10",
            anchors=(
                Anchor("KND", GRADING, ended_days_ago=6, graded_share=0.5),
                Anchor("DVM", IN_PROGRESS),
                Anchor("CNKT", ENROLLING),
                Anchor("KND", PLANNED),
                Anchor("QLNN", PLANNED),
            ),
        ),
    },
)

SMALL_SCALE = Scale(
    name="small",
    trainees=(8, 12),
    small_staff=True,
    slates={
        "PL": CentreSlate(
            last_year="KND 3, DVM 9, CNKT 11",
            this_year="KND 4",
            # A class still enrolling: the demo's call for nominees (units_online.py) is for it.
            anchors=(
                Anchor("DVM", GRADING, ended_days_ago=4),
                Anchor("KND", IN_PROGRESS),
                Anchor("CNKT", ENROLLING),
            ),
        ),
        "BM": CentreSlate(
            last_year="KND 4, QLNN 8, NVD 10 hủy",
            this_year="DVM 5",
            anchors=(Anchor("CNKT", ENROLLING), Anchor("MTDT", PLANNED)),
        ),
    },
)

SCALE_BY_NAME = {"small": SMALL_SCALE, "demo": DEMO_SCALE}
