"""Numbers as Vietnamese documents write them: 1.634 and 94,4% (DESIGN §1)."""

from decimal import ROUND_HALF_UP, Decimal


def _group(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ".".join(groups)


def format_number(value, decimals: int = 0) -> str:
    """1634 → '1.634'; 8.25 with decimals=1 → '8,3' (half up); None → ''."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if decimals:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    else:
        number = number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    result = sign + _group(whole)
    if decimals:
        result += "," + fraction.ljust(decimals, "0")
    return result


def format_percent(part, whole=None, decimals: int = 1) -> str:
    """format_percent(34, 36) → '94,4%'; format_percent(Decimal('94.44')) → '94,4%'."""
    if whole is not None:
        if not whole:
            return "–"
        value = Decimal(part) * 100 / Decimal(whole)
    else:
        if part is None:
            return "–"
        value = Decimal(str(part))
    return format_number(value, decimals) + "%"


def format_score(value) -> str:
    """Scores keep one or two decimals as typed: 8,5 · 7,25 · 10."""
    if value is None:
        return ""
    number = Decimal(str(value)).normalize()
    text = f"{number:f}"
    return text.replace(".", ",")
