"""The quality of teaching in one centre's yearly report (issue 17), as plain tables:

- in section IV (lecturers), table 4: the year's class observations (dự giờ) per lecturer;
- section VI, the trainees' evaluation of the classes (per program, then per lecturer) and the
  sending units' follow-up after the course (per program);
- in the all-centres report, section VI: the same three per centre, in one table.

The figures come from the apps that own them (danhgia, hieuqua, dugio): each gives its year in a
fixed number of queries, and its own sentence for the notes.
"""

from danhgia.yearly import (
    GROUPS,
    CentreEvaluation,
    EvaluationYear,
    evaluation_by_centre,
    evaluation_year,
)
from dugio.yearly import ObservationYear, average_total, observation_year, observations_by_centre
from hieuqua.yearly import FollowUpRow, FollowUpYear, followup_by_centre, followup_year

from .yearly_tables import _row, _section, _table, dec, pct

NOT_SHOWN = (
    "Điểm bình quân chỉ tính trên phiếu của các lớp có từ 5 phiếu trở lên (cột «Số phiếu tính "
    "điểm»); lớp dưới 5 phiếu chỉ ghi số phiếu, để không ai bị nhận ra qua câu trả lời."
)
COUNTED_HEADER = "Số phiếu tính điểm"


def _mark(value) -> dict | None:
    return None if value is None else dec(value)


def observation_table(year: ObservationYear) -> dict:
    """IV.4: observations per lecturer: how many, the average total, the classifications."""
    labels = [label for label, _ in year.classification_counts]
    rows = [
        _row(
            str(number),
            row.name,
            [
                row.observations,
                _mark(row.average_total),
                *[count for _, count in row.classification_counts],
            ],
        )
        for number, row in enumerate(year.rows, start=1)
    ]
    rows.append(
        _row(
            "",
            "Tổng cộng",
            [
                year.observations,
                _mark(year.average_total),
                *[count for _, count in year.classification_counts],
            ],
            "total",
        )
    )
    return _table(
        [["STT", "Giảng viên", "Số lượt dự giờ", "Điểm bình quân", *labels]],
        rows,
        title="4. Dự giờ, thăm lớp",
        widths=[10, 55, 20, 20, *[15] * len(labels)],
        align=["center", "left", *["right"] * (2 + len(labels))],
        notes=[year.sentence(), "Chỉ tính biên bản dự giờ đã chốt, theo ngày của buổi học."],
    )


def _evaluation_tables(year: EvaluationYear) -> list[dict]:
    program_rows = [
        _row(
            str(number),
            row.program,
            [
                row.classes,
                row.answers,
                row.counted_answers,
                _mark(row.content),
                _mark(row.lecturers),
                _mark(row.organisation),
                _mark(row.overall),
            ],
        )
        for number, row in enumerate(year.programs, start=1)
    ]
    program_rows.append(
        _row(
            "",
            "Tổng cộng",
            [
                year.classes,
                year.answers,
                year.counted_answers,
                *[_mark(year.by_group.get(group)) for group in GROUPS],
            ],
            "total",
        )
    )
    lecturer_rows = [
        _row(
            str(number),
            row.name,
            [row.classes, row.answers, row.counted_answers, _mark(row.average)],
        )
        for number, row in enumerate(year.lecturers, start=1)
    ]
    tables = [
        _table(
            [
                [
                    "STT",
                    "Chương trình",
                    "Số lớp được đánh giá",
                    "Số phiếu",
                    COUNTED_HEADER,
                    "Nội dung chương trình",
                    "Giảng viên",
                    "Tổ chức, phục vụ",
                    "Đánh giá chung",
                ]
            ],
            program_rows,
            title="1. Học viên đánh giá khóa học (điểm bình quân, thang 5)",
            widths=[10, 46, 17, 15, 17, 17, 17, 17, 17],
            align=["center", "left", *["right"] * 7],
            notes=[year.sentence(), NOT_SHOWN],
            font_size=9.5,
        )
    ]
    if lecturer_rows:
        tables.append(
            _table(
                [
                    [
                        "STT",
                        "Giảng viên",
                        "Số lớp",
                        "Số phiếu",
                        COUNTED_HEADER,
                        "Điểm bình quân (thang 5)",
                    ]
                ],
                lecturer_rows,
                title="2. Học viên đánh giá giảng viên",
                widths=[10, 70, 18, 18, 22, 27],
                align=["center", "left", "right", "right", "right", "right"],
                notes=[NOT_SHOWN],
            )
        )
    return tables


def _followup_table(year: FollowUpYear, number: int) -> dict:
    def cells(row) -> list:
        return [
            row.classes,
            row.asked,
            row.answered,
            row.good,
            row.fair,
            row.unclear,
            pct(row.share_applied),
        ]

    rows = [_row(str(n), row.program, cells(row)) for n, row in enumerate(year.rows, start=1)]
    rows.append(_row("", "Tổng cộng", cells(year.total), "total"))
    return _table(
        [
            [
                "STT",
                "Chương trình",
                "Số lớp",
                "Số học viên được hỏi",
                "Số học viên được đơn vị đánh giá",
                "Vận dụng tốt",
                "Khá",
                "Chưa rõ",
                "Tỷ lệ tốt và khá",
            ]
        ],
        rows,
        title=f"{number}. Hiệu quả sau đào tạo (đơn vị cử học viên đánh giá)",
        widths=[10, 48, 14, 18, 18, 16, 14, 14, 18],
        align=["center", "left", *["right"] * 7],
        notes=[
            year.sentence(),
            "Tính các lớp kết thúc trong năm đã đến hạn đánh giá (sau khi lớp kết thúc theo số "
            "tháng trung tâm quy định); tỷ lệ tính trên số học viên đơn vị đã đánh giá.",
        ],
        font_size=9.5,
    )


def section_quality(evaluation: EvaluationYear, followup: FollowUpYear) -> dict:
    tables = _evaluation_tables(evaluation)
    tables.append(_followup_table(followup, len(tables) + 1))
    return _section("VI", "VI. ĐÁNH GIÁ CHẤT LƯỢNG BỒI DƯỠNG", "VI. Chất lượng", tables)


def add_quality(sections: list[dict], centre_ids: list[int], year: int) -> list[dict]:
    """The sections with the observations in IV and section VI added: a fixed number of queries."""
    for section in sections:
        if section["key"] == "IV":
            section["tables"].append(observation_table(observation_year(centre_ids, year)))
    sections.append(
        section_quality(evaluation_year(centre_ids, year), followup_year(centre_ids, year))
    )
    return sections


def section_quality_all(centres: list, year: int) -> dict:
    """VI of the all-centres report: per centre, the trainees' evaluation (classes, answers, the
    average under the 5-answer rule), the finalised observations (number, average total) and the
    units' follow-up (trainees rated, share applying it well or fairly). Four queries."""
    ids = [centre.pk for centre in centres]
    evaluations = evaluation_by_centre(ids, year)
    observations = observations_by_centre(ids, year)
    followups = followup_by_centre(ids, year)

    def cells(evaluation: CentreEvaluation, totals: list, followup: FollowUpRow) -> list:
        return [
            evaluation.classes,
            evaluation.answers,
            evaluation.counted_answers,
            _mark(evaluation.average),
            len(totals),
            _mark(average_total(totals)),
            followup.answered,
            pct(followup.share_applied),
        ]

    rows = []
    total_evaluation, all_totals, total_followup = CentreEvaluation(), [], FollowUpRow(program="")
    for number, centre in enumerate(centres, start=1):
        evaluation = evaluations.get(centre.pk, CentreEvaluation())
        totals = observations.get(centre.pk, [])
        followup = followups.get(centre.pk, FollowUpRow(program=""))
        rows.append(_row(str(number), centre.name, cells(evaluation, totals, followup)))
        total_evaluation.add(evaluation)
        all_totals += totals
        total_followup.add(followup)
    rows.append(_row("", "Tổng cộng", cells(total_evaluation, all_totals, total_followup), "total"))
    table = _table(
        [
            [
                "STT",
                "Trung tâm",
                "Số lớp được học viên đánh giá",
                "Số phiếu",
                COUNTED_HEADER,
                "Điểm bình quân (thang 5)",
                "Số lượt dự giờ",
                "Điểm dự giờ bình quân",
                "Học viên được đơn vị đánh giá hiệu quả",
                "Tỷ lệ vận dụng tốt và khá",
            ]
        ],
        rows,
        widths=[9, 42, 17, 13, 15, 17, 15, 16, 20, 17],
        align=["center", "left", *["right"] * 8],
        notes=[
            NOT_SHOWN,
            "Dự giờ: biên bản đã chốt, theo ngày của buổi học. Hiệu quả sau đào tạo: các lớp kết "
            "thúc trong năm đã đến hạn đánh giá; tỷ lệ tính trên số học viên đơn vị đã đánh giá.",
            "Số liệu chất lượng bồi dưỡng tính tại thời điểm lập báo cáo.",
        ],
        font_size=9,
    )
    return _section("VI", "VI. CHẤT LƯỢNG BỒI DƯỠNG THEO TRUNG TÂM", "VI. Chất lượng", [table])
