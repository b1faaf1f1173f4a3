"""Builders for the dugio tests."""

import datetime
from decimal import Decimal

from django.utils import timezone

from dugio.observations import MarkInput, form_lines, observation_create
from tests import builders
from trungtam.models import Role


def past_session(course, lecturer, days_ago=1, **overrides):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return builders.make_session(course, date=day, lecturer=lecturer, **overrides)


def colleague(centre, username="dongnghiep"):
    user = builders.make_user(role=Role.LECTURER, centre=centre, username=username)
    builders.make_lecturer(centre, user=user, full_name="Phạm Văn Đồng Nghiệp")
    return user


def record(session, user, mark_share=Decimal("0.9"), **overrides):
    marks = [
        MarkInput(
            order=line.order,
            text=line.text,
            max_mark=line.max_mark,
            mark=(line.max_mark * mark_share).quantize(Decimal("0.1")),
            criterion=line.criterion,
        )
        for line in form_lines(session)
    ]
    values = {"strengths": "Nội dung chính xác.", "improvements": "Cần thêm ví dụ."}
    values.update(overrides)
    return observation_create(session=session, user=user, marks=marks, **values)


def posted_marks(session, value="5") -> dict:
    return {f"diem_{line.order}": value for line in form_lines(session)} | {
        "uu_diem": "Giảng rõ ràng.",
        "can_khac_phuc": "Không có.",
    }
