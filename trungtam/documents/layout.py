"""The Vietnamese administrative layout: document numbers and the place-and-date line (DESIGN §8a)."""

import datetime

from trungtam.models import Centre, DocumentLayout

PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_SUBMOTTO = "Độc lập - Tự do - Hạnh phúc"


def date_line(place: str, day: datetime.date) -> str:
    """'Phú Lợi, ngày 05 tháng 02 năm 2026': zero before days below 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


class _Dots:
    """A day, month or year not known yet: printed as dots to fill in by hand."""

    def __format__(self, spec) -> str:
        return "……"

    def __str__(self) -> str:
        return "……"

    def __le__(self, other) -> bool:
        return False

    __lt__ = __ge__ = __gt__ = __le__


class BlankDay:
    """Stands for the date of a document that has none yet (a draft plan, report or notice), in the place-and-date line
    (`layout.date_line`): "Phú Lợi, ngày …… tháng …… năm ……". A draft is never dated today."""

    day = month = year = _Dots()

    def __bool__(self) -> bool:
        return True


BLANK_DAY = BlankDay()


NUMBER_BLANK = "\u00a0" * 8  # no number yet: the office writes it in by hand
# Section and group numbers of documents and tables (I, II, …).
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def document_number(centre: Centre, number: int | str | None, kind: str) -> str:
    """Party 'Số 12-BC/TTCT', state 'Số: 12/BC-TTCT'. `kind` is the document code: BC, KH, GCN…
    Without a number, a blank the office fills in by hand."""
    number = number or NUMBER_BLANK
    if centre.document_layout == DocumentLayout.STATE:
        return f"Số: {number}/{kind}-{centre.short_name}"
    return f"Số {number}-{kind}/{centre.short_name}"


def motto_lines(centre: Centre) -> list[str]:
    if centre.document_layout == DocumentLayout.STATE:
        return [STATE_MOTTO, STATE_SUBMOTTO]
    return [PARTY_MOTTO]


def issuer_lines(centre: Centre) -> list[str]:
    """Top left: the body the centre belongs to, then the centre itself (upper case, as printed)."""
    return [centre.parent_body.upper(), centre.name.upper()]
