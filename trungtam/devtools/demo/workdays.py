"""Teaching days of the demo centres: Sundays and Vietnamese public holidays are skipped."""

import datetime

# Lunar new year (mùng 1 Tết) and the Hùng Kings' day (10/3 âm lịch) by solar date.
TET = {
    2024: (2, 10),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
    2031: (1, 23),
    2032: (2, 11),
}
HUNG_KINGS = {
    2024: (4, 18),
    2025: (4, 7),
    2026: (4, 26),
    2027: (4, 16),
    2028: (4, 4),
    2029: (4, 23),
    2030: (4, 12),
    2031: (5, 1),
    2032: (4, 19),
}


def holidays_for(year: int) -> list[tuple[datetime.date, str]]:
    days = [(datetime.date(year, 1, 1), "Tết Dương lịch")]
    if year in TET:
        tet = datetime.date(year, *TET[year])
        for offset in range(-2, 5):
            name = "Mùng 1 Tết Nguyên đán" if offset == 0 else "Nghỉ Tết Nguyên đán"
            days.append((tet + datetime.timedelta(days=offset), name))
    if year in HUNG_KINGS:
        days.append((datetime.date(year, *HUNG_KINGS[year]), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"))
    days += [
        (datetime.date(year, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
        (datetime.date(year, 5, 1), "Ngày Quốc tế Lao động"),
        (datetime.date(year, 9, 1), "Nghỉ lễ Quốc khánh"),
        (datetime.date(year, 9, 2), "Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ]
    seen, unique = set(), []
    for day, name in days:
        if day not in seen:
            seen.add(day)
            unique.append((day, name))
    return sorted(unique)


class Calendar:
    """Teaching days: Monday to Saturday, except the centre's holidays."""

    def __init__(self, holidays):
        self.holidays = set(holidays)

    def is_workday(self, day: datetime.date) -> bool:
        return day.weekday() != 6 and day not in self.holidays

    def next_workday(self, day: datetime.date) -> datetime.date:
        while not self.is_workday(day):
            day += datetime.timedelta(days=1)
        return day

    def days_from(self, start: datetime.date):
        day = self.next_workday(start)
        while True:
            yield day
            day = self.next_workday(day + datetime.timedelta(days=1))

    def back(self, day: datetime.date, count: int) -> datetime.date:
        """The workday `count` workdays before `day` (0: the last workday on or before `day`)."""
        while not self.is_workday(day):
            day -= datetime.timedelta(days=1)
        for _ in range(count):
            day -= datetime.timedelta(days=1)
            while not self.is_workday(day):
                day -= datetime.timedelta(days=1)
        return day


def next_monday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)
