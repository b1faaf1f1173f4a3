"""Sections I–V of the yearly report as plain data: tables of labels and cells, for one centre
(by program and system) or for several (one row per centre).

A cell of a table is an int (a count), a str (a label), None (nothing to show: "–"), or a dict
for other numbers: {"pct": "94.4"} a percentage printed 94,4%; {"rate": "94.4"} the same under a
"%" header, printed 94,4; {"dec": "120.5"} one decimal; {"diff": 3} a signed change; {"diffdec":
"1.2"} a signed change with one decimal. Decimals travel as strings so a snapshot is exact JSON.
"""

from dataclasses import dataclass
from decimal import Decimal

from giangvien.models import LecturerKind, LecturerPosition, PoliticalTheoryLevel, ProfessionalLevel
from lophoc.models import Classification, ProgramSystem
from trungtam.documents.layout import ROMAN
from trungtam.documents.numbers import format_number, format_percent
from trungtam.models import Centre
from trungtam.reports.figures import BANDS, Figures, YearFigures, percent
from trungtam.reports.models import YearlyReport

from .yearly_summary import LecturerSummary, PositionNorm, Summary

# The order levels are listed in: highest first.
POLITICAL_ORDER = [
    PoliticalTheoryLevel.ADVANCED,
    PoliticalTheoryLevel.BACHELOR,
    PoliticalTheoryLevel.INTERMEDIATE,
    PoliticalTheoryLevel.ELEMENTARY,
    PoliticalTheoryLevel.NONE,
]
PROFESSIONAL_ORDER = [
    ProfessionalLevel.DOCTOR,
    ProfessionalLevel.MASTER,
    ProfessionalLevel.BACHELOR,
    ProfessionalLevel.COLLEGE,
    ProfessionalLevel.OTHER,
]
NORMED_POSITIONS = [
    LecturerPosition.DIRECTOR,
    LecturerPosition.DEPUTY,
    LecturerPosition.LECTURER,
    LecturerPosition.LECTURER_ADMIN,
]


def pct(value: Decimal | None) -> dict | None:
    return None if value is None else {"pct": str(value)}


def rate(value: Decimal | None) -> dict | None:
    return None if value is None else {"rate": str(value)}


def dec(value) -> dict:
    return {"dec": str(Decimal(str(value)).quantize(Decimal("0.1")))}


def diff(value: int) -> dict:
    return {"diff": int(value)}


def diffdec(value: Decimal) -> dict:
    return {"diffdec": str(Decimal(value).quantize(Decimal("0.1")))}


def _signed(text: str, negative: bool, zero: bool) -> str:
    if zero:
        return "0"
    return ("-" if negative else "+") + text.lstrip("-")


def cell_text(cell) -> str:
    """A cell as printed: 1.634 · 94,4% · 120,5 · +3 · -1,2 · – for nothing."""
    if cell is None:
        return "–"
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int):
        return format_number(cell)
    if isinstance(cell, str):
        return cell
    if "pct" in cell:
        return format_percent(Decimal(cell["pct"]))
    if "rate" in cell:
        return format_number(Decimal(cell["rate"]), 1)
    if "dec" in cell:
        return format_number(Decimal(cell["dec"]), 1)
    if "diff" in cell:
        value = int(cell["diff"])
        return _signed(format_number(value), value < 0, value == 0)
    if "diffdec" in cell:
        value = Decimal(cell["diffdec"])
        return _signed(format_number(value, 1), value < 0, value == 0)
    raise ValueError(f"unknown cell {cell!r}")


def cell_number(cell):
    """A cell's value as a number for a spreadsheet, or its text; with the Excel number format."""
    if cell is None:
        return "–", None
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell, "#,##0"
    if isinstance(cell, str):
        return cell, None
    if "pct" in cell:
        return float(Decimal(cell["pct"]) / 100), "0.0%"
    if "rate" in cell:
        return float(Decimal(cell["rate"])), "0.0"
    if "dec" in cell:
        return float(Decimal(cell["dec"])), "#,##0.0"
    if "diff" in cell:
        return int(cell["diff"]), "+#,##0;-#,##0;0"
    if "diffdec" in cell:
        return float(Decimal(cell["diffdec"])), "+#,##0.0;-#,##0.0;0"
    raise ValueError(f"unknown cell {cell!r}")


# --- tables ----------------------------------------------------------------------------------


def _table(
    header: list[list[str]],
    rows: list[dict],
    *,
    title: str = "",
    spans: list[list[int]] | None = None,
    widths: list[float],
    align: list[str],
    notes: list[str] | None = None,
    font_size: float = 10,
) -> dict:
    """A table as plain data. `spans` are header merges [first col, first row, last col, last
    row]; `widths` relative PDF widths; `align` per column."""
    return {
        "title": title,
        "header": header,
        "spans": spans or [],
        "rows": rows,
        "widths": widths,
        "align": align,
        "notes": notes or [],
        "font_size": font_size,
    }


def _row(number: str, label: str, cells: list, kind: str = "row") -> dict:
    return {"cells": [number, label, *cells], "kind": kind}


def _section(key: str, title: str, sheet: str, tables: list[dict]) -> dict:
    return {"key": key, "title": title, "sheet": sheet, "tables": tables}


def _classes_cells(f: Figures) -> list:
    return [f.planned_classes, f.opened, f.finished, pct(f.classes_of_plan)]


def _trainee_cells(f: Figures, people: int | None = None) -> list:
    cells = [f.planned_trainees, f.enrolled]
    if people is not None:
        cells.append(people)
    return cells + [
        pct(f.trainees_of_plan),
        f.completed,
        pct(f.attendance_rate),
        f.certified,
    ]


def _result_cells(f: Figures) -> list:
    cells: list = [f.assessed]
    for band in BANDS:
        cells += [f.band_count(band), rate(f.band_rate(band))]
    return cells


def _system_label(system: str) -> str:
    return f"Hệ {ProgramSystem(system).label}" if system in ProgramSystem.values else system


def _program_rows(figures: YearFigures, cells) -> list[dict]:
    """Per system with programs: a subtotal row, then its programs; then the total."""
    rows = []
    system_number = 0
    for system in figures.by_system:
        programs = [p for p in figures.programs if p.system == system.system]
        if not programs:
            continue
        rows.append(
            _row(
                ROMAN[system_number],
                _system_label(system.system),
                cells(system.figures),
                "subtotal",
            )
        )
        system_number += 1
        for number, program in enumerate(programs, start=1):
            rows.append(_row(str(number), program.name, cells(program.figures)))
    rows.append(_row("", "Tổng cộng", cells(figures.total), "total"))
    return rows


CLASSES_HEADER = ["Kế hoạch (lớp)", "Đã mở", "Đã kết thúc", "Tỷ lệ mở lớp so với kế hoạch"]
TRAINEES_HEADER = [
    "Kế hoạch (học viên)",
    "Ghi danh (lượt)",
    "Đạt so với kế hoạch",
    "Hoàn thành",
    "Tỷ lệ chuyên cần",
    "Được cấp giấy chứng nhận",
]
NOTE_YEAR = "Lớp học tính vào năm khai giảng; không kể lớp đã hủy."
NOTE_OPENED = "Lớp đã mở: lớp đang chiêu sinh, đang học, đang chấm điểm hoặc đã kết thúc."
NOTE_ENROLMENTS = (
    "Số học viên tính theo lượt người (một người học hai lớp tính hai lượt), trừ cột ghi «người»."
)
NOTE_ATTENDANCE = (
    "Tỷ lệ chuyên cần = số tiết có mặt ÷ số tiết theo kế hoạch của lớp, không kể học viên thôi học."
)
NOTE_COMPLETED = (
    "Hoàn thành: học viên đủ điều kiện chuyên cần và đạt từ 5,0 điểm trở lên (lớp chỉ tính chuyên "
    "cần: đủ điều kiện) ở các lớp đã kết thúc."
)
NOTE_RESULTS = (
    "Tỷ lệ tính trên số học viên được đánh giá: học viên không thôi học của các lớp có kiểm tra, "
    "đánh giá đã kết thúc. «Không đạt» gồm cả học viên không đủ điều kiện chuyên cần hoặc vắng "
    "kiểm tra cuối khóa."
)


def _results_header(first: str) -> tuple[list[list[str]], list[list[int]]]:
    top = ["STT", first, "Số học viên được đánh giá"]
    bottom = ["", "", ""]
    spans = [[0, 0, 0, 1], [1, 0, 1, 1], [2, 0, 2, 1]]
    for index, band in enumerate(BANDS):
        column = 3 + 2 * index
        top += [Classification(band).label, ""]
        bottom += ["Số lượng", "%"]
        spans.append([column, 0, column + 1, 0])
    return [top, bottom], spans


def sections_for_centre(
    figures: YearFigures, summary: Summary, previous: dict, year: int
) -> list[dict]:
    """Sections I–V of one centre's report."""
    results_header, results_spans = _results_header("Chương trình, hệ")
    return [
        _section(
            "I",
            "I. SỐ LỚP THEO CHƯƠNG TRÌNH VÀ HỆ",
            "I. Lớp học",
            [
                _table(
                    [["STT", "Chương trình, hệ", *CLASSES_HEADER]],
                    _program_rows(figures, _classes_cells),
                    widths=[10, 71, 20, 20, 20, 24],
                    align=["center", "left", "right", "right", "right", "right"],
                    notes=[NOTE_YEAR, NOTE_OPENED],
                )
            ],
        ),
        _section(
            "II",
            "II. HỌC VIÊN THEO CHƯƠNG TRÌNH",
            "II. Học viên",
            [
                _table(
                    [["STT", "Chương trình, hệ", *TRAINEES_HEADER]],
                    _program_rows(figures, _trainee_cells),
                    widths=[10, 53, 17, 17, 17, 17, 17, 17],
                    align=["center", "left", *["right"] * 6],
                    notes=[
                        NOTE_ENROLMENTS
                        + f" Trong năm có {format_number(summary.people)} người tham gia học tập.",
                        NOTE_ATTENDANCE,
                        NOTE_COMPLETED,
                    ],
                    font_size=9.5,
                )
            ],
        ),
        _section(
            "III",
            "III. KẾT QUẢ HỌC TẬP THEO CHƯƠNG TRÌNH",
            "III. Kết quả",
            [
                _table(
                    results_header,
                    _program_rows(figures, _result_cells),
                    spans=results_spans,
                    widths=[10, 38, 15, *[10.2] * 10],
                    align=["center", "left", *["right"] * 11],
                    notes=[NOTE_RESULTS],
                    font_size=9,
                )
            ],
        ),
        section_lecturers(summary.lecturers),
        section_comparison(summary, previous, year),
    ]


def section_lecturers(
    lecturers: LecturerSummary, by_centre: list[tuple[str, LecturerSummary]] | None = None
) -> dict:
    """IV: by kind (or by centre, for several centres), by level, and hours against the norm."""
    tables = []
    total = lecturers.total
    if by_centre is None:
        rows = [
            _row(
                str(number),
                kind.label,
                [
                    lecturers.by_kind.get(kind, 0),
                    pct(percent(lecturers.by_kind.get(kind, 0), total)),
                    lecturers.periods_by_kind.get(kind, 0),
                    dec(lecturers.hours_by_kind.get(kind, 0)),
                ],
            )
            for number, kind in enumerate(LecturerKind, start=1)
        ]
        rows.append(
            _row(
                "",
                "Tổng cộng",
                [
                    total,
                    pct(percent(total, total)),
                    lecturers.periods,
                    dec(lecturers.standard_hours),
                ],
                "total",
            )
        )
        tables.append(
            _table(
                [
                    [
                        "STT",
                        "Loại giảng viên",
                        "Số người",
                        "Tỷ lệ",
                        "Số tiết đã giảng",
                        "Giờ chuẩn quy đổi",
                    ]
                ],
                rows,
                title="1. Cơ cấu đội ngũ giảng viên",
                widths=[10, 55, 22, 22, 28, 28],
                align=["center", "left", "right", "right", "right", "right"],
            )
        )
    else:
        rows = []
        for number, (name, summary) in enumerate(by_centre, start=1):
            rows.append(_row(str(number), name, _lecturer_centre_cells(summary)))
        rows.append(_row("", "Tổng cộng", _lecturer_centre_cells(lecturers), "total"))
        tables.append(
            _table(
                [
                    [
                        "STT",
                        "Trung tâm",
                        "Tổng số (người)",
                        "Chuyên trách",
                        "Kiêm chức",
                        "Thỉnh giảng",
                        "Số tiết đã giảng",
                        "Thực hiện định mức",
                    ]
                ],
                rows,
                title="1. Đội ngũ giảng viên theo trung tâm",
                widths=[9, 52, 17, 17, 17, 17, 18, 18],
                align=["center", "left", *["right"] * 6],
                font_size=9.5,
            )
        )
    level_rows = [_row("A", "Trình độ lý luận chính trị", ["", ""], "section")]
    for number, level in enumerate(POLITICAL_ORDER, start=1):
        count = lecturers.by_political.get(level, 0)
        level_rows.append(_row(str(number), level.label, [count, pct(percent(count, total))]))
    level_rows.append(_row("B", "Trình độ chuyên môn", ["", ""], "section"))
    for number, level in enumerate(PROFESSIONAL_ORDER, start=1):
        count = lecturers.by_professional.get(level, 0)
        level_rows.append(_row(str(number), level.label, [count, pct(percent(count, total))]))
    tables.append(
        _table(
            [["STT", "Trình độ", "Số người", "Tỷ lệ"]],
            level_rows,
            title="2. Trình độ của giảng viên",
            widths=[12, 93, 30, 30],
            align=["center", "left", "right", "right"],
            notes=[f"Tỷ lệ tính trên tổng số {format_number(total)} giảng viên."],
        )
    )
    norm_rows = []
    for number, position in enumerate(NORMED_POSITIONS, start=1):
        norm = lecturers.by_position.get(position, PositionNorm())
        norm_rows.append(
            _row(
                str(number),
                position.label,
                [
                    norm.count,
                    norm.norm,
                    dec(norm.hours),
                    pct(percent(norm.hours, norm.norm)),
                    norm.overtime,
                ],
            )
        )
    norm_rows.append(
        _row(
            "",
            "Tổng cộng",
            [
                lecturers.normed_lecturers,
                lecturers.norm_hours,
                dec(lecturers.normed_hours),
                pct(lecturers.of_norm),
                lecturers.overtime_lecturers,
            ],
            "total",
        )
    )
    tables.append(
        _table(
            [
                [
                    "STT",
                    "Chức vụ",
                    "Số người",
                    "Định mức (giờ chuẩn)",
                    "Thực hiện (giờ chuẩn)",
                    "Tỷ lệ thực hiện",
                    "Số người vượt định mức",
                ]
            ],
            norm_rows,
            title="3. Thực hiện định mức giờ chuẩn của giảng viên chuyên trách",
            widths=[10, 49, 19, 22, 22, 20, 23],
            align=["center", "left", *["right"] * 5],
            notes=[
                "Số tiết quy đổi ra giờ chuẩn theo hệ số của từng hình thức buổi học. Giảng viên "
                "kiêm chức, thỉnh giảng không có định mức (thù lao theo tiết)."
            ],
        )
    )
    return _section("IV", "IV. ĐỘI NGŨ GIẢNG VIÊN", "IV. Giảng viên", tables)


def _lecturer_centre_cells(summary: LecturerSummary) -> list:
    return [
        summary.total,
        *[summary.by_kind.get(kind, 0) for kind in LecturerKind],
        summary.periods,
        pct(summary.of_norm),
    ]


def headline(summary: Summary) -> list[tuple[str, str, object]]:
    """The headline figures compared with the previous year: (label, unit, value)."""
    t = summary.total
    return [
        ("Số lớp đã mở", "lớp", t.opened),
        ("Tỷ lệ mở lớp so với kế hoạch", "%", t.classes_of_plan),
        ("Số lớp đã kết thúc", "lớp", t.finished),
        ("Số học viên ghi danh", "lượt", t.enrolled),
        ("Số người tham gia học tập", "người", summary.people),
        ("Số học viên hoàn thành", "lượt", t.completed),
        ("Tỷ lệ hoàn thành", "%", t.pass_rate),
        ("Tỷ lệ chuyên cần", "%", t.attendance_rate),
        ("Tỷ lệ xếp loại giỏi, xuất sắc", "%", t.good_or_better_rate),
        ("Số giấy chứng nhận đã cấp", "giấy", t.certified),
        ("Số giảng viên", "người", summary.lecturers.total),
        ("Số tiết đã giảng", "tiết", summary.lecturers.periods),
    ]


def section_comparison(summary: Summary, previous: dict, year: int) -> dict:
    """V: this year against the previous one, with the change and the ratio."""
    before = previous["summary"]
    empty = before.is_empty
    rows = []
    for number, ((label, unit, now), (_, _, then)) in enumerate(
        zip(headline(summary), headline(before), strict=True), start=1
    ):
        if unit == "%":
            now_cell, then_cell = pct(now), None if empty else pct(then)
            change = None if now is None or then is None or empty else diffdec(now - then)
            ratio = None
        else:
            now_cell, then_cell = now, None if empty else then
            change = None if empty else diff(now - then)
            ratio = None if empty else pct(percent(now, then))
        rows.append(_row(str(number), label, [unit, then_cell, now_cell, change, ratio]))
    notes = ["Tăng, giảm của các tỷ lệ tính bằng điểm phần trăm."]
    if empty:
        notes.append(f"Chưa có số liệu năm {year - 1} trên hệ thống.")
    elif previous.get("source") == "sent":
        notes.append(f"Số liệu năm {year - 1} theo báo cáo đã gửi.")
    else:
        notes.append(f"Số liệu năm {year - 1} tính từ dữ liệu hiện có trên hệ thống.")
    return _section(
        "V",
        f"V. SO SÁNH VỚI NĂM {year - 1}",
        "V. So sánh",
        [
            _table(
                [
                    [
                        "STT",
                        "Chỉ tiêu",
                        "Đơn vị tính",
                        f"Năm {year - 1}",
                        f"Năm {year}",
                        "Tăng (+), giảm (-)",
                        f"Năm {year} so với năm {year - 1}",
                    ]
                ],
                rows,
                widths=[9, 58, 16, 20, 20, 21, 21],
                align=["center", "left", "center", "right", "right", "right", "right"],
                notes=notes,
            )
        ],
    )


@dataclass
class CentreEntry:
    centre: Centre
    report: YearlyReport | None
    summary: Summary
    previous: dict

    @property
    def is_sent(self) -> bool:
        return self.report is not None and self.report.is_sent


def _centre_rows(entries: list[CentreEntry], total: Summary, cells, with_people=False) -> list:
    rows = []
    for number, entry in enumerate(entries, start=1):
        args = (
            (entry.summary.total, entry.summary.people) if with_people else (entry.summary.total,)
        )
        rows.append(_row(str(number), entry.centre.name, cells(*args)))
    args = (total.total, total.people) if with_people else (total.total,)
    rows.append(_row("", "Tổng cộng", cells(*args), "total"))
    systems = [key for key in ProgramSystem.values if key in total.by_system]
    if systems:
        width = len(rows[-1]["cells"]) - 2
        rows.append(_row("", "Trong đó, theo hệ:", [""] * width, "section"))
        for number, key in enumerate(systems):
            figures = total.by_system[key]
            args = (figures, None) if with_people else (figures,)
            rows.append(_row(ROMAN[number], _system_label(key), cells(*args), "subtotal"))
    return rows


def _trainee_cells_people(f: Figures, people: int | None) -> list:
    cells = _trainee_cells(f, people if people is not None else 0)
    if people is None:
        cells[2] = None  # people are counted per centre, not per system
    return cells


def sections_for_all(
    entries: list[CentreEntry], total: Summary, previous: dict, year: int
) -> list[dict]:
    results_header, results_spans = _results_header("Trung tâm")
    return [
        _section(
            "I",
            "I. SỐ LỚP THEO TRUNG TÂM VÀ HỆ",
            "I. Lớp học",
            [
                _table(
                    [["STT", "Trung tâm", *CLASSES_HEADER]],
                    _centre_rows(entries, total, _classes_cells),
                    widths=[10, 71, 20, 20, 20, 24],
                    align=["center", "left", "right", "right", "right", "right"],
                    notes=[NOTE_YEAR, NOTE_OPENED],
                )
            ],
        ),
        _section(
            "II",
            "II. HỌC VIÊN THEO TRUNG TÂM",
            "II. Học viên",
            [
                _table(
                    [
                        [
                            "STT",
                            "Trung tâm",
                            TRAINEES_HEADER[0],
                            TRAINEES_HEADER[1],
                            "Số người",
                            *TRAINEES_HEADER[2:],
                        ]
                    ],
                    _centre_rows(entries, total, _trainee_cells_people, with_people=True),
                    widths=[10, 43, 16, 16, 16, 16, 16, 16, 16],
                    align=["center", "left", *["right"] * 7],
                    notes=[NOTE_ENROLMENTS, NOTE_ATTENDANCE, NOTE_COMPLETED],
                    font_size=9,
                )
            ],
        ),
        _section(
            "III",
            "III. KẾT QUẢ HỌC TẬP THEO TRUNG TÂM",
            "III. Kết quả",
            [
                _table(
                    results_header,
                    _centre_rows(entries, total, _result_cells),
                    spans=results_spans,
                    widths=[10, 38, 15, *[10.2] * 10],
                    align=["center", "left", *["right"] * 11],
                    notes=[NOTE_RESULTS],
                    font_size=9,
                )
            ],
        ),
        section_lecturers(total.lecturers, [(e.centre.name, e.summary.lecturers) for e in entries]),
        section_comparison(total, previous, year),
    ]


def report_status_rows(content: dict) -> list[list]:
    return [
        [str(i), r["centre"], r["number"], r["date"], r["status"]]
        for i, r in enumerate(content.get("reports", []), start=1)
    ]
