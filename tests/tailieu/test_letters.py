"""The schedule letter: the PDF (sessions of the period and of that lecturer only), the period
checks, and the mail (sent with the PDF attached, errors recorded, no-mail mode)."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lophoc.models import CourseStatus
from tailieu import letters
from tailieu.models import ScheduleLetter
from tests import builders
from tests.pdf_reading import pdf_pages
from tests.tailieu.helpers import make_material

MAIL_ON = override_settings(
    EMAIL_HOST="smtp.ttct.example.vn",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
MAIL_OFF = override_settings(EMAIL_HOST="")
# A letter invites from today on: the period is a month starting ten days from now.
START = timezone.localdate() + datetime.timedelta(days=10)
END = START + datetime.timedelta(days=29)
IN_PERIOD, OTHERS, CANCELLED_DAY = (START + datetime.timedelta(days=n) for n in (2, 3, 4))
AFTER = END + datetime.timedelta(days=3)


def dmy(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


@pytest.fixture
def world(centre):
    lecturer = builders.make_lecturer(
        centre, full_name="Lê Thị Hồng", email="hong@example.vn", title="ThS."
    )
    other = builders.make_lecturer(centre, full_name="Trần Văn Bình", email="")
    course = builders.make_course(
        centre,
        code="KND-05-2026",
        name="Lớp bồi dưỡng nhận thức về Đảng khóa 5",
        start_date=START,
        end_date=END,
        venue="Hội trường UBND phường",
    )
    topic = course.topics.create(title="Chủ nghĩa Mác - Lênin", order=1, periods=4)
    builders.make_session(course, date=IN_PERIOD, lecturer=lecturer, topic=topic, room="Phòng 2")
    builders.make_session(course, date=AFTER, lecturer=lecturer)  # after
    builders.make_session(course, date=OTHERS, lecturer=other, room="Phòng 9")
    cancelled = builders.make_course(
        centre, code="HUY-01", status=CourseStatus.CANCELLED, start_date=START, end_date=END
    )
    builders.make_session(cancelled, date=CANCELLED_DAY, lecturer=lecturer)
    make_material(course.program, title="Giáo trình khóa 5")
    make_material(builders.make_program(centre), title="Không liên quan")
    return lecturer, other, course


def _query(lecturers=(), start=START, end=END):
    parts = [f"tu_ngay={start:%d/%m/%Y}", f"den_ngay={end:%d/%m/%Y}"]
    return "&".join(parts + [f"giang_vien={lecturer.pk}" for lecturer in lecturers])


def test_the_letter_lists_the_period_sessions_of_that_lecturer_only(world):
    lecturer, other, course = world
    content = letters.letter_pdf(letters.letter_for(lecturer, START, END))
    text = " ".join(" ".join(pdf_pages(content)).split())
    assert "GIẤY MỜI GIẢNG" in text
    assert "Kính gửi: Đồng chí ThS. Lê Thị Hồng" in text
    assert dmy(IN_PERIOD) in text and "Chủ nghĩa Mác - Lênin" in text and "Phòng 2" in text
    assert dmy(AFTER) not in text  # after the period
    assert dmy(OTHERS) not in text and "Phòng 9" not in text  # another lecturer's
    assert "HUY-01" not in text  # a cancelled class
    assert "Giáo trình khóa 5" in text and "Không liên quan" not in text
    assert "Nơi nhận" in text and "-GM/" in text


def test_staff_download_the_pdf(client, staff, world):
    lecturer, _, _ = world
    client.force_login(staff)
    response = client.get(reverse("tailieu:letter_pdf", args=[lecturer.pk]) + "?" + _query())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Lê Thị Hồng" in " ".join(pdf_pages(b"".join(response.streaming_content)))


@pytest.mark.parametrize(
    "start, end, message",
    [
        (END, START, "trước «Từ ngày»"),
        (START, START + datetime.timedelta(days=400), "tối đa một năm"),
        (START - datetime.timedelta(days=11), END, "chỉ mời giảng các buổi từ hôm nay"),
    ],
)
def test_a_reversed_or_too_long_period_is_refused(client, staff, world, start, end, message):
    lecturer, _, _ = world
    client.force_login(staff)
    page = client.get(reverse("tailieu:letter_page") + "?" + _query([lecturer], start, end))
    assert message in page.content.decode()
    pdf = client.get(
        reverse("tailieu:letter_pdf", args=[lecturer.pk]) + "?" + _query((), start, end),
        follow=True,
    )
    assert message in pdf.content.decode()


def test_the_page_previews_and_names_those_without_email(client, staff, world):
    lecturer, other, _ = world
    client.force_login(staff)
    with MAIL_OFF:
        page = client.get(reverse("tailieu:letter_page") + "?" + _query([lecturer, other]))
    text = page.content.decode()
    assert "Lê Thị Hồng" in text and "Trần Văn Bình" in text
    assert "cần in và giao tay" in text
    assert "Chưa cấu hình máy chủ thư" in text and "Gửi thư" not in text


@MAIL_ON
def test_sending_mails_the_pdf_and_records_it(client, staff, world):
    lecturer, other, _ = world
    client.force_login(staff)
    page = client.get(reverse("tailieu:letter_page") + "?" + _query([lecturer, other]))
    assert "Gửi thư" in page.content.decode()
    response = client.post(
        reverse("tailieu:letter_send"),
        {
            "giang_vien": [lecturer.pk, other.pk],
            "tu_ngay": dmy(START),
            "den_ngay": dmy(END),
        },
        follow=True,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hong@example.vn"]
    ((name, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    assert dmy(IN_PERIOD) in " ".join(pdf_pages(content))
    record = ScheduleLetter.objects.get()
    assert record.ok and record.lecturer == lecturer and record.to_address == "hong@example.vn"
    assert (record.date_from, record.date_to, record.sent_by) == (START, END, staff)
    text = response.content.decode()
    assert "Đã gửi giấy mời giảng tới Lê Thị Hồng" in text
    assert "Trần Văn Bình chưa có địa chỉ thư điện tử: cần in giấy mời và giao tay" in text


@MAIL_ON
def test_a_mail_error_is_recorded_and_names_the_lecturer(client, staff, world):
    lecturer, _, _ = world
    client.force_login(staff)
    refused = smtplib.SMTPRecipientsRefused({"hong@example.vn": (550, b"no such user")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused):
        response = client.post(
            reverse("tailieu:letter_send"),
            {"giang_vien": [lecturer.pk], "tu_ngay": dmy(START), "den_ngay": dmy(END)},
            follow=True,
        )
    record = ScheduleLetter.objects.get()
    assert not record.ok and "SMTPRecipientsRefused" in record.error
    assert "Không gửi được thư tới Lê Thị Hồng" in response.content.decode()


@MAIL_OFF
def test_without_mail_nothing_is_sent(client, staff, world):
    lecturer, _, _ = world
    client.force_login(staff)
    response = client.post(
        reverse("tailieu:letter_send"),
        {"giang_vien": [lecturer.pk], "tu_ngay": dmy(START), "den_ngay": dmy(END)},
        follow=True,
    )
    assert "Chưa cấu hình máy chủ thư" in response.content.decode()
    assert not mail.outbox and not ScheduleLetter.objects.exists()


def test_the_letter_pages_are_for_staff(client, lecturer, official, other_staff, world):
    target = world[0]
    for user, answer in ((lecturer, 403), (official, 403), (other_staff, 404)):
        client.force_login(user)
        url = reverse("tailieu:letter_pdf", args=[target.pk]) + "?" + _query()
        assert client.get(url).status_code == answer


def test_a_lecturer_without_sessions_gets_no_letter(client, staff, world):
    """A letter that invites to nothing is neither printed nor sent."""
    lecturer, _, _ = world
    idle = builders.make_lecturer(lecturer.centre, full_name="Phạm Văn Rảnh", email="r@example.vn")
    letter = letters.letter_for(idle, START, END)
    assert letters.empty_refusal(letter) and "Phạm Văn Rảnh không có buổi giảng nào" in (
        letters.empty_refusal(letter)
    )
    with pytest.raises(ValueError):
        letters.letter_pdf(letter)
    client.force_login(staff)
    page = client.get(reverse("tailieu:letter_page") + "?" + _query([lecturer, idle]))
    text = page.content.decode()
    assert text.count("Tải giấy mời (PDF)") == 1  # the lecturer with sessions only
    response = client.get(
        reverse("tailieu:letter_pdf", args=[idle.pk]) + "?" + _query(), follow=True
    )
    assert response["Content-Type"].startswith("text/html")
    assert "không có giấy mời giảng để in" in response.content.decode()


def test_the_letter_lists_the_materials_of_the_lecturer_s_own_topics(centre):
    """The program's own materials and those of the topics the lecturer teaches; a colleague's
    topic outline is not theirs. A topic titled «Chuyên đề 1: …» is not called «chuyên đề» twice."""
    lecturer = builders.make_lecturer(centre, full_name="Lê Thị Hồng")
    course = builders.make_course(centre, start_date=START, end_date=END)
    program = course.program
    # The program's topics, and the class's copies of them (the class's may differ in spacing
    # or case, never in wording).
    mine = program.topics.create(title="Chuyên đề 1: Chủ nghĩa Mác - Lênin", order=1, periods=4)
    theirs = program.topics.create(title="Lịch sử Đảng", order=2, periods=4)
    taught = course.topics.create(title="chuyên đề 1:  Chủ nghĩa Mác - Lênin", order=1)
    course.topics.create(title=theirs.title, order=2)
    builders.make_session(course, date=IN_PERIOD, lecturer=lecturer, topic=taught)
    make_material(program, title="Giáo trình chung")
    make_material(program, title="Đề cương chuyên đề 1", topic=mine)
    make_material(program, title="Đề cương lịch sử Đảng", topic=theirs)
    letter = letters.letter_for(lecturer, START, END)
    assert [m.title for m in letter.materials] == ["Giáo trình chung", "Đề cương chuyên đề 1"]
    text = " ".join(" ".join(pdf_pages(letters.letter_pdf(letter))).split())
    assert "Đề cương chuyên đề 1 (Chuyên đề 1: Chủ nghĩa Mác - Lênin)" in text
    assert "chuyên đề Chuyên đề" not in text and "Đề cương lịch sử Đảng" not in text


def test_a_topic_taught_in_one_program_brings_no_material_of_another_s_same_topic(centre):
    lecturer = builders.make_lecturer(centre, full_name="Lê Thị Hồng")
    first = builders.make_course(centre, start_date=START, end_date=END)
    second = builders.make_course(centre, start_date=START, end_date=END)
    title = "Chuyên đề 2: Lịch sử Đảng"
    in_first = first.topics.create(title="Chuyên đề 1: Chủ nghĩa Mác - Lênin", order=1)
    in_second = second.topics.create(title=title, order=1)
    builders.make_session(first, date=IN_PERIOD, lecturer=lecturer, topic=in_first)
    builders.make_session(
        second, date=IN_PERIOD, lecturer=lecturer, topic=in_second, part="afternoon"
    )
    make_material(
        second.program, title="Đề cương B", topic=second.program.topics.create(title=title, order=2)
    )
    make_material(
        first.program, title="Đề cương A", topic=first.program.topics.create(title=title, order=2)
    )
    letter = letters.letter_for(lecturer, START, END)
    assert [m.title for m in letter.materials] == ["Đề cương B"]  # not the first program's
