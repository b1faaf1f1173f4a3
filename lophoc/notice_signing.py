"""Result notices signed digitally (issue 18): a closed class's notices — the batch of every
unit's letter (staff, the class's documents) and one unit's letters (the unit's page, for its
liaison and for staff alike) — go through trungtam.signing.documents: signed once with the
centre's key and served byte for byte ever after. Drafts (a class reopened) are never signed.

    content = notices_delivered(course=course, content=pdf, user=user)             # the batch
    content = notices_delivered(course=course, content=pdf, unit=unit, user=user)  # one unit

SigningRefused (the key cannot sign: expired, wrong password…) says why, in Vietnamese.
"""

from lophoc.documents.result_notices import signature_place
from lophoc.models import Course, CourseStatus
from trungtam.models import SignedKind
from trungtam.signing.documents import deliver

NOTICE_REASON = "Thông báo kết quả học tập"
WHO_CAN_FIX = "Hãy báo quản trị hệ thống (người cấu hình chữ ký số của trung tâm)."


def notice_ref(course: Course, unit=None) -> str:
    """'course id' for the batch, 'course id:unit id' for one unit's notice."""
    return f"{course.pk}:{unit.pk}" if unit is not None else str(course.pk)


def notices_delivered(*, course: Course, content: bytes, unit=None, user=None) -> bytes:
    """What a download of the notices returns: the kept signed copy of exactly these bytes, else
    (key configured, class closed) signed now with the box at the last letter's signature, else
    `content` unchanged."""
    if course.status != CourseStatus.CLOSED:
        return content
    box, page = signature_place(content)
    return deliver(
        kind=SignedKind.RESULT_NOTICE,
        ref=notice_ref(course, unit),
        centre=course.centre,
        original=content,
        reason=f"{NOTICE_REASON} lớp {course.code}",
        location=course.centre.place_name or course.centre.name,
        box=box,
        page=page,
        user=user,
    )
