"""The observation record's PDF read back page by page: headings stay with their text, the
lecturer's opinion stays with the signatures, and an empty section of a draft is left to be
written by hand."""

import re

import pytest
from django.utils import timezone

from dugio.documents import observation_pdf
from giangvien.models import Lecturer
from tests.dugio.helpers import past_session, record
from tests.pdf_reading import pdf_pages

OPINION = "Tôi nhất trí với nội dung biên bản."
# Each heading and the start of the text printed under it.
HEADINGS = {
    "I. ĐÁNH GIÁ THEO TIÊU CHÍ": "Tiêu chí đánh giá",
    "II. ƯU ĐIỂM": "Ưu điểm số 1:",
    "III. NHỮNG ĐIỂM CẦN KHẮC PHỤC": "Khắc phục số 1:",
    "IV. XẾP LOẠI GIỜ GIẢNG": "Tổng điểm",
    "V. Ý KIẾN CỦA GIẢNG VIÊN": OPINION,
}
IMPROVEMENTS = "\n".join(
    f"Khắc phục số {number}: cần phân bổ thời gian hợp lý hơn giữa các phần, bổ sung ví dụ "
    "minh họa gắn với nghị quyết mới của Đảng bộ."
    for number in range(1, 4)
)
DOTTED_LINE = re.compile(r"^\.{40,}$", re.MULTILINE)


@pytest.fixture
def observation(staff, course, lecturer):
    session = past_session(course, Lecturer.objects.get(user=lecturer))
    return record(session, staff, improvements=IMPROVEMENTS, lecturer_opinion=OPINION)


def page_of(pages: list[str], text: str) -> int:
    found = [index for index, page in enumerate(pages) if text in page]
    assert found, f"«{text}» is not printed"
    return found[0]


def test_headings_stay_with_their_text_and_the_opinion_with_the_signatures(observation):
    # The strengths grow a line at a time, so the end of page 1 passes every heading in turn;
    # before the fix heading V stood alone at the foot of page 1 for most of these lengths.
    for count in range(1, 25):
        observation.strengths = "\n".join(
            f"Ưu điểm số {number}: nội dung chính xác, liên hệ thực tiễn."
            for number in range(1, count + 1)
        )
        pages = pdf_pages(observation_pdf(observation))
        for heading, text in HEADINGS.items():
            assert page_of(pages, heading) == page_of(pages, text), (count, heading)
        assert page_of(pages, OPINION) == page_of(pages, "NGƯỜI DỰ GIỜ"), count


def test_a_draft_without_the_lecturers_opinion_leaves_dotted_lines(observation):
    observation.lecturer_opinion = ""
    observation.save()
    text = "\n".join(pdf_pages(observation_pdf(observation)))
    assert "DỰ THẢO" in text
    assert "Không có." not in text
    opinion = text.split("V. Ý KIẾN CỦA GIẢNG VIÊN")[1].split("NGƯỜI DỰ GIỜ")[0]
    assert len(DOTTED_LINE.findall(opinion)) == 3
    assert len(DOTTED_LINE.findall(text)) == 3  # the other sections are filled in


def test_any_empty_section_of_a_draft_leaves_dotted_lines(observation):
    observation.improvements = ""  # the form refuses it; the PDF still never says «Không có.»
    text = "\n".join(pdf_pages(observation_pdf(observation)))
    improvements = text.split("III. NHỮNG ĐIỂM CẦN KHẮC PHỤC")[1].split("IV. XẾP LOẠI")[0]
    assert len(DOTTED_LINE.findall(improvements)) == 3
    assert "Không có." not in text


def test_a_finalised_record_without_an_opinion_says_there_was_none(observation):
    # Only the observer writes the record, the lecturer's opinion included, and nobody changes
    # it once finalised: an opinion still empty then is an opinion not given.
    observation.lecturer_opinion = ""
    observation.finalised_at = timezone.now()
    observation.save()
    text = "\n".join(pdf_pages(observation_pdf(observation)))
    assert "DỰ THẢO" not in text
    opinion = text.split("V. Ý KIẾN CỦA GIẢNG VIÊN")[1].split("NGƯỜI DỰ GIỜ")[0]
    assert "Không có." in opinion
    assert not DOTTED_LINE.search(text)


def test_the_page_says_an_empty_opinion_of_a_draft_is_still_to_be_written(
    client, staff, observation
):
    from django.urls import reverse

    observation.lecturer_opinion = ""
    observation.save()
    client.force_login(staff)
    page = client.get(reverse("dugio:observation_detail", args=[observation.pk])).content.decode()
    opinion = page.split("Ý kiến của giảng viên")[1]
    assert "Chưa ghi" in opinion and "Không có." not in opinion
