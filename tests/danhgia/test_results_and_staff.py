"""Results (the under-5 rule, roles, fixed queries), paper entry, slips PDF, command, yearly."""

import datetime
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia import evaluations, results
from danhgia.models import EvaluationAnswer
from danhgia.yearly import evaluation_year
from giangvien.models import Lecturer
from lophoc.models import CourseStatus
from tests import builders
from tests.danhgia.helpers import answer, evaluated_course, marks_for
from tests.pdf_reading import pdf_pages


@pytest.fixture
def teachers(centre, lecturer):
    own = Lecturer.objects.get(user=lecturer)
    other = builders.make_lecturer(centre, full_name="Phạm Văn Khác")
    return own, other


@pytest.fixture
def evaluated(centre, teachers):
    return evaluated_course(centre, lecturers=teachers, enrolled=12)


def _results(client, user, course):
    client.force_login(user)
    return client.get(f"/danh-gia/lop/{course.pk}/")


def test_under_five_answers_show_counts_only(client, staff, evaluated):
    for _ in range(4):
        answer(evaluated, comments="Giảng viên Phạm Văn Khác nói nhanh")
    text = _results(client, staff, evaluated).content.decode()
    assert "Chưa đủ 5 phiếu" in text
    assert "nói nhanh" not in text and "Điểm TB" not in text
    answer(evaluated, value=5)
    text = _results(client, staff, evaluated).content.decode()
    assert "Điểm TB" in text and "nói nhanh" in text


def test_roles_lecturer_sees_own_block_official_no_comments(
    client, staff, official, lecturer, evaluated, teachers
):
    own, other = teachers
    for _ in range(5):
        answer(evaluated, comments="Ý kiến riêng", lecturer_values={own.pk: 5, other.pk: 2})
    as_staff = _results(client, staff, evaluated).content.decode()
    assert "Giảng viên Phạm Văn Khác" in as_staff and "Ý kiến riêng" in as_staff
    as_official = _results(client, official, evaluated).content.decode()
    assert "Giảng viên Phạm Văn Khác" in as_official and "Ý kiến riêng" not in as_official
    as_lecturer = _results(client, lecturer, evaluated).content.decode()
    assert "Giảng viên Lê Thị Hồng" in as_lecturer
    assert "Phạm Văn Khác" not in as_lecturer and "Ý kiến riêng" not in as_lecturer


def test_a_lecturer_rated_in_under_five_answers_shows_counts_only(
    client, staff, lecturer, evaluated, teachers
):
    # The class has 5 answers, but only one of them rated Phạm Văn Khác (the others left the
    # lecturer's questions at «Không ý kiến»): his block, which he would read, says how many.
    own, other = teachers
    answer(evaluated, lecturer_values={own.pk: 5, other.pk: 1})
    for _ in range(4):
        answer(evaluated, lecturer_values={own.pk: 5, other.pk: None})
    figures = results.class_results(evaluated)
    blocks = {block.lecturer_id: block for block in figures.lecturer_blocks}
    assert blocks[own.pk].answers == 5 and blocks[own.pk].rows
    assert blocks[other.pk].answers == 1 and blocks[other.pk].rows == []
    text = _results(client, staff, evaluated).content.decode()
    assert "1 phiếu đánh giá giảng viên — dưới 5 phiếu" in text


def test_other_centre_staff_get_404(client, other_staff, evaluated):
    assert _results(client, other_staff, evaluated).status_code == 404


def test_results_and_class_panel_run_fixed_queries(client, staff, centre, teachers):
    counts = []
    for n in (5, 15):
        course = evaluated_course(centre, lecturers=teachers, enrolled=n)
        for _ in range(n):
            answer(course, comments="Tốt")
        client.force_login(staff)
        client.get(f"/danh-gia/lop/{course.pk}/")
        with CaptureQueriesContext(connection) as results_page:
            client.get(f"/danh-gia/lop/{course.pk}/")
        with CaptureQueriesContext(connection) as class_page:
            page = client.get(reverse("lophoc:course_quality", args=[course.pk]))
        assert "Đánh giá khóa học" in page.content.decode()
        counts.append((len(results_page), len(class_page)))
    assert counts[0] == counts[1]


def test_lecturer_year_rule_and_fixed_queries(centre, teachers, django_assert_num_queries):
    own, _ = teachers
    small = evaluated_course(centre, lecturers=[own], enrolled=3)
    for _ in range(3):
        answer(small, value=1)
    with django_assert_num_queries(1):
        summary = results.lecturer_year(own, small.start_date.year)
    assert not summary.shown and summary.answers == 3 and summary.overall is None
    big = evaluated_course(centre, lecturers=[own], enrolled=15)
    for _ in range(15):
        answer(big, value=4)
    with django_assert_num_queries(1):
        summary = results.lecturer_year(own, big.start_date.year)
    assert summary.shown and summary.answers == 18
    assert str(summary.overall) == "4.0"  # the 3-answer class does not count


def test_paper_entry_counts_and_is_capped(client, staff, centre):
    course = evaluated_course(centre, enrolled=2)
    client.force_login(staff)
    url = f"/danh-gia/lop/{course.pk}/nhap-phieu/"
    for _ in range(2):
        response = client.post(url, {"y_kien": "Phiếu giấy"})
        assert response.status_code == 302
    response = client.post(url, {"y_kien": "Một phiếu nữa"})
    assert "đã có đủ 2 phiếu" in response.content.decode()
    assert EvaluationAnswer.objects.filter(course=course, on_paper=True).count() == 2


def test_slips_pdf_has_one_code_per_active_enrolment_and_the_qr_url(
    client, staff, centre, settings
):
    settings.PUBLIC_BASE_URL = "https://ttct.example.vn"
    course = evaluated_course(centre, enrolled=9)
    client.force_login(staff)
    response = client.post(f"/danh-gia/lop/{course.pk}/phieu-ma.pdf")
    content = b"".join(response.streaming_content)
    pages = pdf_pages(content)
    assert len(pages) == 2  # 8 slips a page
    text = " ".join(pages)
    codes = list(course.evaluation_codes.values_list("code", flat=True))
    assert len(codes) == 9
    for code in codes:
        assert f"{code[:4]}-{code[4:]}" in text
    assert "ttct.example.vn/danh-gia/phieu/" in text
    from danhgia.slips import form_url

    assert form_url(codes[0]) == f"https://ttct.example.vn/danh-gia/phieu/?ma={codes[0]}"


def test_command_writes_slips_and_exit_codes(centre, tmp_path):
    course = evaluated_course(centre, enrolled=3, code="KND-01/2026")
    output = tmp_path / "slips.pdf"
    call_command("evaluation_codes", "--course", "KND-01/2026", "-o", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    assert course.evaluation_codes.count() == 3
    cancelled = evaluated_course(centre, enrolled=1, code="HUY-01", status=CourseStatus.CANCELLED)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as failed:
        call_command("evaluation_codes", "--course", cancelled.code, "-o", str(output))
    assert failed.value.returncode == 1 and "đã hủy" in str(failed.value)
    with pytest.raises(CommandError) as unknown:
        call_command("evaluation_codes", "--course", "KHONG-CO", "-o", str(output))
    assert unknown.value.returncode == 1


def test_command_usage_error_exits_2():
    done = subprocess.run(
        [".venv/bin/python", "manage.py", "evaluation_codes", "-o", "x.pdf"],
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2


def test_evaluation_year_figures_and_fixed_queries(centre, teachers, django_assert_num_queries):
    own, other = teachers
    year = datetime.date.today().year
    first = evaluated_course(centre, lecturers=[own], enrolled=5)
    for value in (5, 5, 4, 4, 3):
        answer(first, value=value)
    few = evaluated_course(centre, lecturers=[other], enrolled=2)
    answer(few, value=1)
    with django_assert_num_queries(3):
        figures = evaluation_year([centre.pk], first.start_date.year)
    assert figures.classes == 2 and figures.answers == 6
    assert str(figures.overall) == "4.2"
    rows = {row.name: row for row in figures.lecturers}
    assert rows["Lê Thị Hồng"].average is not None
    assert rows["Phạm Văn Khác"].average is None and rows["Phạm Văn Khác"].answers == 1
    assert "2 lớp được học viên đánh giá với 6 phiếu" in figures.sentence()
    # The average covers the 5 answers of the class that has 5, and says so.
    assert (figures.counted_classes, figures.counted_answers) == (1, 5)
    assert "4,2/5 (tính trên 5 phiếu của 1 lớp có từ 5 phiếu trở lên)" in figures.sentence()
    for _ in range(2):
        more = evaluated_course(centre, lecturers=[own, other], enrolled=5)
        for _ in range(5):
            answer(more, value=4)
    with django_assert_num_queries(3):
        evaluation_year([centre.pk], first.start_date.year)
    assert year >= 2000


def test_marks_keep_the_question_text_they_answered(centre):
    course = evaluated_course(centre, enrolled=1)
    answer(course)
    question = evaluations.active_questions(centre)[0]
    old_text = question.text
    question.text = "Câu hỏi đã sửa"
    question.save()
    assert question.marks.get().question_text == old_text
    assert marks_for(course)[0].question.text == "Câu hỏi đã sửa"


def _tallies():
    from django.db.models import Sum

    from danhgia.models import EvaluationTally

    return {
        (r["course_id"], r["group"], r["lecturer_id"]): (r["a"], r["t"], r["n"])
        for r in EvaluationTally.objects.values("course_id", "group", "lecturer_id").annotate(
            a=Sum("answers"), t=Sum("total"), n=Sum("marks")
        )
    }


def test_each_answer_adds_its_marks_to_the_class_tallies(centre, evaluated, teachers):
    from danhgia.models import QuestionGroup

    own, other = teachers
    answer(evaluated, value=4, lecturer_values={own.pk: 5, other.pk: None})
    answer(evaluated, value=2, lecturer_values={own.pk: 3, other.pk: 1})
    evaluations.paper_answer_create(
        course=evaluated, marks=marks_for(evaluated, value=5), comments=""
    )
    tallies = _tallies()
    content_questions = sum(
        1 for q in evaluations.form_content(evaluated).questions if q.group == QuestionGroup.CONTENT
    )
    lecturer_questions = sum(
        1
        for q in evaluations.form_content(evaluated).questions
        if q.group == QuestionGroup.LECTURER
    )
    assert tallies[(evaluated.pk, QuestionGroup.CONTENT, None)] == (
        3,
        (4 + 2 + 5) * content_questions,
        3 * content_questions,
    )
    assert tallies[(evaluated.pk, QuestionGroup.LECTURER, own.pk)] == (
        3,
        (5 + 3 + 5) * lecturer_questions,
        3 * lecturer_questions,
    )
    # «Không ý kiến» for Phạm Văn Khác in the first answer: two answers rated him.
    assert tallies[(evaluated.pk, QuestionGroup.LECTURER, other.pk)] == (
        2,
        (1 + 5) * lecturer_questions,
        2 * lecturer_questions,
    )


def test_the_migration_builds_the_tallies_of_earlier_answers(evaluated, teachers):
    import importlib

    from django.apps import apps

    from danhgia.models import EvaluationTally

    own, other = teachers
    for value in (5, 4, 2):
        answer(evaluated, value=value, lecturer_values={other.pk: None})
    kept = _tallies()
    EvaluationTally.objects.all().delete()
    migration = importlib.import_module("danhgia.migrations.0002_evaluation_tally")
    migration.tallies_from_marks(apps, None)
    assert _tallies() == kept and kept


def test_a_slip_carries_a_qr_code_for_the_class_materials_link(centre, settings, monkeypatch):
    """The materials address is long and case-sensitive: the slip gives it a QR code too."""
    from danhgia import slips
    from tailieu.materials import class_link
    from tests.tailieu.helpers import make_material

    settings.PUBLIC_BASE_URL = "https://ttct.example.vn"
    course = evaluated_course(centre, enrolled=2)
    make_material(course.program, title="Đề cương bài giảng", for_trainees=True)
    drawn = []
    real = slips.draw_qr
    monkeypatch.setattr(
        slips, "draw_qr", lambda canvas, url, *a: drawn.append(url) or real(canvas, url, *a)
    )
    codes = evaluations.codes_top_up(course=course)
    text = " ".join(pdf_pages(slips.slips_pdf(course, codes)))
    materials_url = f"https://ttct.example.vn/tai-lieu/lop/{class_link(course).token}/"
    assert drawn == [slips.form_url(codes[0].code), materials_url] + [
        slips.form_url(codes[1].code),
        materials_url,
    ]
    assert "Tài liệu học tập: quét mã QR bên cạnh" in text
    assert materials_url.split("://")[1] in text


def test_paper_entry_of_a_class_not_taking_answers_says_so_before_any_typing(client, staff, centre):
    course = evaluated_course(centre, enrolled=3, status=CourseStatus.PLANNED)
    client.force_login(staff)
    page = client.get(f"/danh-gia/lop/{course.pk}/nhap-phieu/").content.decode()
    assert "không nhận phiếu đánh giá" in page
    assert "Lưu phiếu" not in page  # no form to fill in for nothing


def _list(client, user, year=None):
    client.force_login(user)
    query = {"nam": year} if year else {}
    return client.get(reverse("danhgia:course_list"), query)


def _row(page: str, course) -> str:
    return page.split(f'data-course="{course.pk}"')[1].split("</tr>")[0]


def test_the_list_shows_each_class_s_answers_and_overall_mark_from_five_answers(
    client, staff, official, centre, teachers
):
    full = evaluated_course(centre, lecturers=teachers, enrolled=6, code="KND-01/2026")
    few = evaluated_course(centre, lecturers=teachers, enrolled=6, code="KND-02/2026")
    planned = evaluated_course(centre, enrolled=3, status=CourseStatus.PLANNED, code="KH-01")
    for value in (5, 4, 4, 4, 3):
        answer(full, value=value)
    answer(few, value=1)
    year = full.start_date.year
    for user in (staff, official):
        page = _list(client, user, year).content.decode()
        assert "4,0/5" in _row(page, full) and "5/6" in _row(page, full)
        assert "dưới 5 phiếu" in _row(page, few) and "1,0" not in _row(page, few)
        assert f'data-course="{planned.pk}"' not in page  # no answers to take yet
        assert reverse("danhgia:course_results", args=[full.pk]) in page


def test_the_list_shows_the_year_asked_for_and_other_centres_classes_not(
    client, staff, other_staff, centre, teachers
):
    course = evaluated_course(centre, lecturers=teachers, enrolled=2)
    year = course.start_date.year
    assert f'data-course="{course.pk}"' in _list(client, staff, year).content.decode()
    assert f'data-course="{course.pk}"' not in _list(client, staff, year - 1).content.decode()
    assert f'data-course="{course.pk}"' not in _list(client, other_staff, year).content.decode()


def test_the_list_runs_the_same_queries_at_n_and_3n_classes(client, staff, centre, teachers):
    client.force_login(staff)
    made, queries = 0, []
    for n in (2, 6):
        for _ in range(n - made):
            course = evaluated_course(centre, lecturers=teachers, enrolled=5)
            for _ in range(5):
                answer(course)
        made = n
        with CaptureQueriesContext(connection) as captured:
            page = _list(client, staff, course.start_date.year).content.decode()
        assert page.count("data-course=") == n
        queries.append(len(captured))
    assert queries[0] == queries[1]
