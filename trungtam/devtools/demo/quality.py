"""The quality-of-teaching part of the demo (issue 17): evaluations, a follow-up, lesson plans,
observations and materials, so every new page shows real content. Each app's rows are written by
its own module, in this order (materials first: the schedule letter lists them)."""

import datetime

from trungtam.models import Centre, User

from . import quality_danhgia, quality_dugio, quality_giaoan, quality_hieuqua, quality_tailieu


def write_quality(centre: Centre, today: datetime.date, staff: User) -> None:
    for part in (quality_tailieu, quality_giaoan, quality_dugio, quality_danhgia, quality_hieuqua):
        part.write(centre, today, staff)
