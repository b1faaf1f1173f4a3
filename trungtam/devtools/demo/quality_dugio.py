"""The demo's dugio rows (issue 17): two finalised observations of sessions the demo lecturer
(giangvien) taught in centre PL — one by the director (giamdoc), rated Giỏi, one by the centre's
staff (canbo) with another lecturer of the centre observing with them, rated Khá. Written through
the same services as the pages; running the seed twice changes nothing."""

import datetime
from decimal import Decimal

from django.utils import timezone

from dugio.criteria import ensure_criteria
from dugio.models import Observation
from dugio.observations import MarkInput, observation_create, observation_finalise
from giangvien.models import Lecturer
from lophoc.models import CourseStatus, Session
from trungtam.models import Centre, User

DEMO_LECTURER = "giangvien"
# Marks lost per criterion (in order) below the maximum: Giỏi (91/100) and Khá (76/100).
RECORDS = (
    (
        "giamdoc",
        (1, 1, 1, 1, 1, 1, 1, 1, 0, 1),
        "Bài giảng chuẩn bị kỹ, nội dung chính xác, bám sát nghị quyết; liên hệ tốt với thực "
        "tiễn của phường.\nHọc viên tham gia thảo luận sôi nổi.",
        "Cần phân bổ thời gian đều hơn giữa các phần; phần kết luận còn vội.",
        "Xin tiếp thu, sẽ điều chỉnh phân bổ thời gian ở các buổi sau.",
    ),
    (
        "canbo",
        (2, 3, 2, 3, 3, 2, 3, 2, 1, 3),
        "Nội dung đúng, đủ; giọng giảng rõ ràng, tác phong nghiêm túc.",
        "Nên dùng thêm ví dụ thực tế ở địa phương và câu hỏi gợi mở cho học viên; trình chiếu "
        "còn nhiều chữ.",
        "",
    ),
)


def write(centre: Centre, today: datetime.date, staff: User) -> None:
    lecturer = Lecturer.objects.filter(centre=centre, user__username=DEMO_LECTURER).first()
    if lecturer is None:
        return
    sessions = list(
        Session.objects.filter(course__centre=centre, lecturer=lecturer, date__lte=today)
        .exclude(course__status=CourseStatus.CANCELLED)
        .select_related("course", "course__centre", "lecturer")
        .order_by("-date", "id")[: len(RECORDS)]
    )
    colleague = Lecturer.objects.filter(centre=centre, active=True).exclude(pk=lecturer.pk).first()
    criteria = ensure_criteria(centre)
    for session, (username, lost, strengths, improvements, opinion) in zip(
        sessions, RECORDS, strict=False
    ):
        observer = User.objects.filter(username=username, centre=centre).first() or staff
        if observer is None or Observation.objects.filter(session=session).exists():
            continue
        observation = observation_create(
            session=session,
            user=observer,
            marks=[
                MarkInput(
                    order=index,
                    text=c.text,
                    max_mark=c.max_mark,
                    mark=max(c.max_mark - Decimal(minus), Decimal("0")),
                    criterion=c,
                )
                for index, (c, minus) in enumerate(zip(criteria, lost, strict=False), start=1)
            ],
            strengths=strengths,
            improvements=improvements,
            co_observers=f"{colleague}, giảng viên" if colleague and username == "canbo" else "",
            lecturer_opinion=opinion,
        )
        observation_finalise(observation=observation, user=observer)
        Observation.objects.filter(pk=observation.pk).update(
            finalised_at=timezone.make_aware(
                datetime.datetime.combine(session.date, datetime.time(17, 0))
            )
        )
