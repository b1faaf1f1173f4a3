"""Recording, reading, changing and finalising observations; the PDF; the yearly figures."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dugio.criteria import classify
from dugio.documents import observation_pdf
from dugio.models import Observation, ObservationCriterion
from dugio.yearly import observation_year
from giangvien.models import Lecturer
from lophoc.models import CourseStatus
from tests import builders
from tests.dugio.helpers import colleague, past_session, posted_marks, record
from trungtam.models import DocumentLayout, Role


@pytest.fixture
def session(course, lecturer):
    return past_session(course, Lecturer.objects.get(user=lecturer))


def _record_url(session):
    return reverse("dugio:observation_record", args=[session.pk])


def test_classification_thresholds():
    assert classify(Decimal("85"), Decimal("100")) == "gioi"
    assert classify(Decimal("84.9"), Decimal("100")) == "kha"
    assert classify(Decimal("13"), Decimal("20")) == "kha"
    assert classify(Decimal("10"), Decimal("20")) == "dat"
    assert classify(Decimal("9.5"), Decimal("20")) == "chua_dat"


def test_staff_records_and_the_standard_form_is_stored_then(client, staff, session):
    assert not ObservationCriterion.objects.exists()
    client.force_login(staff)
    assert client.get(_record_url(session)).status_code == 200
    assert not ObservationCriterion.objects.exists()  # GET writes nothing
    response = client.post(_record_url(session), posted_marks(session, "5"))
    observation = Observation.objects.get()
    assert response.status_code == 302
    assert observation.total == Decimal("50.0") and observation.classification == "dat"
    assert ObservationCriterion.objects.filter(centre=session.course.centre).count() == 10
    assert observation.marks.count() == 10


def test_a_colleague_may_record_but_not_the_observed_lecturer(client, centre, lecturer, session):
    client.force_login(lecturer)
    assert client.get(_record_url(session)).status_code == 403
    assert client.post(_record_url(session), posted_marks(session)).status_code == 403
    client.force_login(colleague(centre))
    response = client.post(_record_url(session), posted_marks(session))
    assert response.status_code == 302
    assert Observation.objects.get().recorded_by.username == "dongnghiep"


def test_other_centre_and_liaisons_do_not_find_the_session(client, other_staff, official, session):
    client.force_login(other_staff)
    assert client.get(_record_url(session)).status_code == 404
    client.force_login(official)
    assert client.get(_record_url(session)).status_code == 403
    liaison = builders.make_liaison(builders.make_unit(session.course.centre))
    client.force_login(liaison)
    assert client.get(_record_url(session)).status_code == 404
    assert not Observation.objects.exists()


def test_future_session_and_cancelled_class_are_refused(client, staff, course, lecturer):
    lecturer_row = Lecturer.objects.get(user=lecturer)
    future = past_session(course, lecturer_row, days_ago=-3)
    client.force_login(staff)
    response = client.post(_record_url(future), posted_marks(future), follow=True)
    assert "chưa diễn ra" in response.content.decode()
    cancelled = builders.make_course(course.centre, status=CourseStatus.CANCELLED)
    old = past_session(cancelled, lecturer_row)
    response = client.post(_record_url(old), posted_marks(old), follow=True)
    assert "đã hủy" in response.content.decode()
    assert not Observation.objects.exists()


def test_a_mark_out_of_range_names_the_criterion(client, staff, session):
    client.force_login(staff)
    data = posted_marks(session) | {"diem_2": "16", "diem_3": "abc"}
    response = client.post(_record_url(session), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Tiêu chí 2 «Nội dung chính xác" in text and "điểm phải từ 0 đến 15" in text
    assert "Tiêu chí 3" in text and "không phải một số" in text
    assert not Observation.objects.exists()
    assert not ObservationCriterion.objects.exists()


def test_edit_until_finalised_then_read_only(client, staff, admin_user, session):
    observation = record(session, staff)
    edit = reverse("dugio:observation_edit", args=[observation.pk])
    finalise = reverse("dugio:observation_finalise", args=[observation.pk])
    client.force_login(admin_user)
    assert client.get(edit).status_code == 403  # not the observer
    assert client.post(finalise).status_code == 403
    client.force_login(staff)
    marks = {f"diem_{m.pk}": "5" for m in observation.marks.all()}
    data = marks | {"uu_diem": "Sửa lại.", "can_khac_phuc": "Nhiều."}
    assert client.post(edit, data).status_code == 302
    observation.refresh_from_db()
    assert observation.total == Decimal("50.0") and observation.classification == "dat"
    assert client.post(finalise).status_code == 302
    observation.refresh_from_db()
    assert observation.finalised_at is not None
    response = client.post(edit, marks | {"uu_diem": "X", "can_khac_phuc": "Y"}, follow=True)
    assert "đã chốt" in response.content.decode()
    observation.refresh_from_db()
    assert observation.strengths == "Sửa lại."


def test_lecturer_reads_own_only(client, centre, course, lecturer, staff, session):
    own = record(session, staff)
    other_lecturer = builders.make_lecturer(centre, full_name="Trần Văn Khác")
    others = record(past_session(course, other_lecturer, days_ago=2), staff)
    client.force_login(lecturer)
    assert client.get(reverse("dugio:observation_detail", args=[own.pk])).status_code == 200
    for name in ("dugio:observation_detail", "dugio:observation_pdf", "dugio:observation_edit"):
        assert client.get(reverse(name, args=[others.pk])).status_code == 404
    listing = client.get(reverse("dugio:observation_list")).content.decode()
    assert f'data-observation="{own.pk}"' in listing
    assert f'data-observation="{others.pk}"' not in listing


def test_an_observer_lecturer_reads_what_they_wrote(client, centre, session):
    observer = colleague(centre)
    written = record(session, observer)
    client.force_login(observer)
    assert client.get(reverse("dugio:observation_detail", args=[written.pk])).status_code == 200


def test_officials_read_figures_only(client, official, staff, session):
    observation = record(session, staff)
    client.force_login(official)
    assert client.get(reverse("dugio:observation_detail", args=[observation.pk])).status_code == 403
    response = client.get(reverse("dugio:observation_list"))
    assert response.status_code == 200
    assert "tong-hop-du-gio" in response.content.decode() or "chưa có biên bản" in (
        response.content.decode()
    )


@pytest.mark.parametrize("layout", [DocumentLayout.PARTY, DocumentLayout.STATE])
def test_the_pdf_reads_back(staff, session, layout):
    centre = session.course.centre
    centre.document_layout = layout
    centre.save()
    observation = record(session, staff, co_observers="Nguyễn Văn Cùng")
    text = "".join(
        page.extract_text() for page in PdfReader(BytesIO(observation_pdf(observation))).pages
    )
    for expected in (
        "BIÊN BẢN DỰ GIỜ",
        "NGƯỜI DỰ GIỜ",
        "GIẢNG VIÊN",
        "Lê Thị Hồng",
        "Nguyễn Văn Cùng",
        "Tổng cộng",
        "Xếp loại: Giỏi",
        "Nội dung chính xác.",
        "Cần thêm ví dụ.",
        "DỰ THẢO",
    ):
        assert expected in text, expected
    motto = "ĐẢNG CỘNG SẢN VIỆT NAM" if layout == DocumentLayout.PARTY else "CỘNG HÒA XÃ HỘI"
    assert motto in text


def _observations(centre, n, staff):
    for index in range(n):
        lecturer = builders.make_lecturer(centre, full_name=f"Giảng Viên Số {index}")
        course = builders.make_course(centre)
        observation = record(past_session(course, lecturer), staff)
        observation.finalised_at = timezone.now()
        observation.save()


def test_yearly_figures_fixed_queries(centre, staff):
    year = timezone.localdate().year
    counts = []
    for n in (2, 6):
        _observations(centre, n if not counts else n - 2, staff)
        with CaptureQueriesContext(connection) as queries:
            summary = observation_year([centre.pk], year)
            summary.sentence()
        counts.append(len(queries))
        assert summary.observations == n
    assert counts[0] == counts[1] == 1
    # The year's sessions may fall in the previous year in early January: count what is there.
    assert summary.rows[0].average_total == Decimal("90.0")
    assert "điểm bình quân 90,0" in summary.sentence()
    assert summary.counts["gioi"] == 6


def test_panels_fixed_queries(client, centre, course, staff, lecturer):
    lecturer_row = Lecturer.objects.get(user=lecturer)
    counts = []
    client.force_login(staff)
    for n in (1, 3):
        for _ in range(n if not counts else n - 1):
            record(
                past_session(course, lecturer_row, days_ago=len(counts) + 5 + _),
                builders.make_user(role=Role.STAFF, centre=centre),
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("lophoc:course_quality", args=[course.pk]))
        assert response.status_code == 200 and 'id="du-gio"' in response.content.decode()
        course_count = len(queries)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("giangvien:lecturer_detail", args=[lecturer_row.pk]))
        assert response.status_code == 200 and "du-gio-tom-tat" in response.content.decode()
        counts.append((course_count, len(queries)))
    assert counts[0] == counts[1]


def test_the_lecturer_sees_their_year_on_their_page(client, lecturer, staff, session):
    observation = record(session, staff)
    observation.finalised_at = timezone.now()
    observation.save()
    client.force_login(lecturer)
    url = reverse("giangvien:lecturer_detail", args=[observation.lecturer.pk])
    text = client.get(url, {"nam": session.date.year}).content.decode()
    assert "1 lượt dự giờ đã chốt, điểm bình quân 90,0" in text
    assert reverse("dugio:observation_detail", args=[observation.pk]) in text
