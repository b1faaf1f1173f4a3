"""The demo's lesson plans (issue 17), written for the centre whose units work online: in the
class in progress, approved plans, one returned with comments (the demo lecturer's), one waiting,
and a session of the next 14 days without an approved plan; the centre reuses approved plans, and
one approved in an earlier class of the same program covers a topic of the class in progress.

The files are small real documents made here (a PDF by reportlab, a minimal .docx zip): no binary
file is kept in the repository."""

import datetime
import io
import zipfile

from django.contrib.auth import get_user_model

from giaoan.models import LessonPlan
from giaoan.plans import settings_save, version_review, version_upload
from lophoc.models import Course, CourseStatus, Session, Topic
from trungtam.documents.pdf import build_pdf, para
from trungtam.models import Centre, User

LEADER = "giamdoc"
RETURN_COMMENT = (
    "Phần liên hệ thực tiễn còn chung chung: bổ sung ví dụ ở các chi bộ khu phố của phường. "
    "Rút bớt phần trình bày lịch sử, dành thời gian cho thảo luận."
)


def sample_pdf(centre: Centre, title: str) -> bytes:
    """A one-page lesson plan as PDF."""
    body = [
        para("I. MỤC TIÊU"),
        para(
            "Học viên nắm được nội dung cơ bản của chuyên đề và liên hệ với thực tiễn địa phương."
        ),
        para("II. NỘI DUNG"),
        para(f"1. Giới thiệu chuyên đề «{title}». 2. Nội dung chính. 3. Thảo luận, liên hệ."),
        para("III. PHƯƠNG PHÁP"),
        para("Thuyết trình kết hợp nêu vấn đề, thảo luận nhóm."),
    ]
    return build_pdf(centre=centre, title="GIÁO ÁN", subtitle=title, body=body)


def sample_docx(title: str) -> bytes:
    """A minimal Word document (.docx) holding the plan's title and headings."""
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        for text in ("GIÁO ÁN", title, "I. Mục tiêu", "II. Nội dung", "III. Phương pháp")
    )
    members = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paragraphs}</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def write(centre: Centre, today: datetime.date, staff: User) -> None:
    if LessonPlan.objects.filter(topic__course__centre=centre).exists():
        return  # written already: running the demo twice changes nothing
    course = (
        Course.objects.filter(centre=centre, status=CourseStatus.IN_PROGRESS)
        .order_by("-start_date", "code")
        .first()
    )
    if course is None:
        return
    leader = get_user_model().objects.filter(username=LEADER, centre=centre).first() or staff
    topics = list(course.topics.order_by("order", "pk"))
    lecturer_of = {}
    for session in Session.objects.filter(course=course, topic__isnull=False).select_related(
        "lecturer__user"
    ):
        lecturer_of.setdefault(session.topic_id, session.lecturer)

    settings_save(centre=centre, reuse_approved=True)
    earlier = (
        Course.objects.filter(
            centre=centre, program=course.program, start_date__lt=course.start_date
        )
        .exclude(status=CourseStatus.CANCELLED)
        .order_by("-start_date")
        .first()
    )

    def upload(topic: Topic, docx: bool = False):
        lecturer = lecturer_of.get(topic.pk)
        user = lecturer.user if lecturer is not None and lecturer.user_id else staff
        content = sample_docx(topic.title) if docx else sample_pdf(centre, topic.title)
        name = "giao-an.docx" if docx else "giao-an.pdf"
        return version_upload(
            topic=topic, content=content, filename=name, user=user, lecturer=lecturer
        )

    def review(version, approve: bool, comment: str = "", reusable: bool = False):
        return version_review(
            version=version,
            posted_number=version.number,
            approve=approve,
            comment=comment,
            user=leader,
            reusable=reusable,
        )

    reused_title = None
    if earlier is not None and len(topics) > 1:
        # An earlier class's plan of the same topic (the second, unless another matches),
        # approved for later classes.
        taught = {topic.title: topic for topic in earlier.topics.all()}
        target = next((t for t in topics[1:] if t.title in taught), topics[1])
        match = taught.get(target.title) or Topic.objects.create(
            course=earlier, order=target.order, title=target.title, periods=target.periods
        )
        review(upload(match), approve=True, reusable=True)
        reused_title = target.title

    for index, topic in enumerate(topics):
        if topic.title == reused_title:
            continue  # covered by the earlier class's plan
        lecturer = lecturer_of.get(topic.pk)
        demo_lecturer = lecturer is not None and lecturer.user_id is not None
        if index == 0:
            first = upload(topic, docx=True)
            review(first, approve=False, comment="Bổ sung mục tiêu về kỹ năng.")
            review(upload(topic), approve=True)
        elif demo_lecturer and index == len(topics) - 1:
            review(upload(topic, docx=True), approve=False, comment=RETURN_COMMENT)
        elif index == 2:
            upload(topic)  # waiting for the leader
        elif index == 3:
            continue  # the session of the next days without any plan
        else:
            review(upload(topic), approve=True)
