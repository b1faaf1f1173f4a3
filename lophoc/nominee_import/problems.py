"""One line of what is wrong with a nominee file, worded as DESIGN §9 asks.

`Dòng 7, cột "Ngày sinh": "31/02/1990" không phải ngày hợp lệ`
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None  # the row number Excel shows
    column: str | None = None  # the column's label in the nominee format
    value: str | None = None  # the cell as it was typed

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        place = f"Dòng {self.row}"
        if self.column:
            place += f', cột "{self.column}"'
        if self.value:
            return f'{place}: "{self.value}" {self.message}'
        return f"{place}: {self.message}"

    @property
    def sort_key(self) -> tuple:
        return (self.row is not None, self.row or 0)


class ImportRefused(Exception):
    """The file cannot be imported as it is; nothing was written."""

    def __init__(self, problems: list[Problem], plan=None):
        self.problems = problems
        self.plan = plan
        super().__init__("\n".join(str(problem) for problem in problems))

    @property
    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]
