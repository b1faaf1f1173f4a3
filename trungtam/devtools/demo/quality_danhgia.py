"""The demo's danhgia rows (issue 17), written for the centre whose units work online."""

import datetime

from trungtam.models import Centre, User


def write(centre: Centre, today: datetime.date, staff: User) -> None:
    """Nothing yet."""
