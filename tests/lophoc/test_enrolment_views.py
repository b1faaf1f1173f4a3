"""Manual enrolment (existing or new trainee) and withdrawal with a reason, per role."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hocvien.models import Trainee
from lophoc.models import CourseStatus, Enrolment, EnrolmentStatus
from tests import builders


def add_url(course):
    return reverse("lophoc:enrolment_add", args=[course.pk])


def withdraw_url(enrolment):
    return reverse("lophoc:enrolment_withdraw", args=[enrolment.pk])


def detail_url(course, section=""):
    url = reverse("lophoc:course_detail", args=[course.pk])
    return f"{url}#{section}" if section else url


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def new_trainee(**overrides):
    values = {
        "moi-full_name": "Phạm Thị Hoa",
        "moi-date_of_birth": "17/05/1990",
        "moi-gender": "F",
        "moi-national_id": "",
        "moi-unit": "",
        "moi-position": "Phó Bí thư chi bộ",
        "moi-phone": "",
        "ghi_danh_moi": "Tạo hồ sơ và ghi danh",
    }
    values.update(overrides)
    return values


@pytest.fixture
def logged_in(client, staff):
    client.force_login(staff)
    return client


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_goes_to_login(self, client, course):
        enrolment = builders.make_enrolment(course)
        for url in (add_url(course), withdraw_url(enrolment)):
            response = client.get(url)
            assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_other_centre_gets_404(self, client, other_staff, course):
        enrolment = builders.make_enrolment(course)
        client.force_login(other_staff)
        assert client.get(add_url(course)).status_code == 404
        assert client.get(withdraw_url(enrolment)).status_code == 404
        assert client.post(withdraw_url(enrolment), {"ly_do": "x"}).status_code == 404

    def test_official_gets_403(self, client, official, course):
        enrolment = builders.make_enrolment(course)
        client.force_login(official)
        assert client.get(add_url(course)).status_code == 403
        assert client.post(add_url(course), new_trainee()).status_code == 403
        assert client.get(withdraw_url(enrolment)).status_code == 403
        assert client.post(withdraw_url(enrolment), {"ly_do": "x"}).status_code == 403
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.ACTIVE
        assert course.enrolments.count() == 1

    def test_lecturer_404_outside_their_classes_403_inside(self, client, lecturer, course):
        enrolment = builders.make_enrolment(course)
        client.force_login(lecturer)
        assert client.get(add_url(course)).status_code == 404
        assert client.get(withdraw_url(enrolment)).status_code == 404
        builders.make_session(course, lecturer=lecturer.lecturer)
        assert client.get(add_url(course)).status_code == 403
        assert client.post(withdraw_url(enrolment), {"ly_do": "x"}).status_code == 403

    def test_staff_opens_the_page(self, logged_in, course):
        response = logged_in.get(add_url(course))
        assert response.status_code == 200
        assert "Thêm học viên vào lớp" in response.text


# --- an existing trainee ---------------------------------------------------------------------


@pytest.mark.django_db
class TestExistingTrainee:
    def test_search_without_diacritics_within_the_centre(
        self, logged_in, course, centre, other_centre
    ):
        mine = builders.make_trainee(centre, full_name="Nguyễn Thị Lệ")
        builders.make_trainee(other_centre, full_name="Nguyễn Thị Lệ")
        response = logged_in.get(add_url(course), {"q": "nguyen thi le"})
        assert [t.pk for t in response.context["page_obj"]] == [mine.pk]

    def test_search_marks_those_already_in_the_class(self, logged_in, course, centre):
        enrolment = builders.make_enrolment(
            course, trainee=builders.make_trainee(centre, full_name="Võ Văn Kiệt")
        )
        response = logged_in.get(add_url(course), {"q": "kiet"})
        assert response.context["page_obj"][0].in_course
        assert "Đã có trong lớp" in response.text
        assert f"hoc_vien={enrolment.trainee.pk}" not in response.text

    def test_nothing_found_says_what_to_try(self, logged_in, course):
        response = logged_in.get(add_url(course), {"q": "không có ai"})
        assert "Không tìm thấy hồ sơ nào" in response.text

    def test_picking_proposes_the_trainees_unit(self, logged_in, course, centre):
        unit = builders.make_unit(centre)
        trainee = builders.make_trainee(centre, unit=unit, position="Trưởng ấp")
        response = logged_in.get(add_url(course), {"hoc_vien": trainee.pk})
        form = response.context["existing_form"]
        assert (form.initial["unit"], form.initial["position"]) == (unit.pk, "Trưởng ấp")
        assert f'data-picked="{trainee.pk}"' in response.text

    def test_enrol_with_another_sending_unit(self, logged_in, course, centre):
        trainee = builders.make_trainee(centre, unit=builders.make_unit(centre))
        sender = builders.make_unit(centre)
        response = logged_in.post(
            add_url(course),
            {"hoc_vien": trainee.pk, "don_vi": sender.pk, "chuc_vu": "Ủy viên", "ghi_danh": "1"},
        )
        assert response.status_code == 302
        assert response["Location"] == detail_url(course, "hoc-vien")
        enrolment = Enrolment.objects.get(course=course)
        assert (enrolment.trainee, enrolment.unit, enrolment.position) == (
            trainee,
            sender,
            "Ủy viên",
        )
        assert flash(response) == [
            f"Đã ghi danh học viên {trainee.full_name} vào lớp {course.code}."
        ]

    def test_a_duplicate_is_refused(self, logged_in, course):
        enrolment = builders.make_enrolment(course)
        response = logged_in.post(
            add_url(course), {"hoc_vien": enrolment.trainee.pk, "ghi_danh": "1"}
        )
        assert response.status_code == 200
        assert "đã có trong lớp" in response.text
        assert course.enrolments.count() == 1

    def test_a_full_class_is_refused(self, logged_in, centre):
        course = builders.make_course(centre, capacity=1)
        builders.make_enrolment(course)
        trainee = builders.make_trainee(centre)
        response = logged_in.post(add_url(course), {"hoc_vien": trainee.pk, "ghi_danh": "1"})
        assert response.status_code == 200
        assert "Lớp chỉ nhận tối đa 1 học viên" in response.text
        assert course.enrolments.count() == 1

    def test_a_trainee_of_another_centre_cannot_be_picked(self, logged_in, course, other_centre):
        foreign = builders.make_trainee(other_centre)
        response = logged_in.post(add_url(course), {"hoc_vien": foreign.pk, "ghi_danh": "1"})
        assert response.status_code == 200
        assert "Không tìm thấy học viên này" in response.text
        assert not course.enrolments.exists()

    def test_a_unit_of_another_centre_is_refused(self, logged_in, course, other_centre):
        trainee = builders.make_trainee(course.centre)
        foreign = builders.make_unit(other_centre)
        response = logged_in.post(
            add_url(course), {"hoc_vien": trainee.pk, "don_vi": foreign.pk, "ghi_danh": "1"}
        )
        assert response.context["existing_form"].errors["unit"]
        assert not course.enrolments.exists()


# --- a new trainee ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestNewTrainee:
    def test_created_and_enrolled(self, logged_in, course, centre):
        unit = builders.make_unit(centre)
        response = logged_in.post(
            add_url(course),
            new_trainee(**{"moi-unit": unit.pk, "moi-national_id": "0011 9500 0123"}),
        )
        assert response.status_code == 302
        trainee = Trainee.objects.get(full_name="Phạm Thị Hoa")
        assert trainee.centre == centre
        assert trainee.national_id == "001195000123"
        assert trainee.date_of_birth.isoformat() == "1990-05-17"  # day first
        enrolment = Enrolment.objects.get(course=course)
        assert (enrolment.trainee, enrolment.unit, enrolment.position) == (
            trainee,
            unit,
            "Phó Bí thư chi bộ",
        )
        assert "Đã ghi danh học viên Phạm Thị Hoa" in flash(response)[0]

    @pytest.mark.parametrize(
        "field,value,message",
        [
            ("moi-national_id", "12345678901", "đúng 12 chữ số; bạn đã nhập 11"),
            ("moi-national_id", "12345678901a", "chỉ gồm chữ số"),
            ("moi-date_of_birth", "31/02/1990", "Hãy nhập ngày theo dạng ngày/tháng/năm"),
            ("moi-date_of_birth", "01/01/2099", "Ngày sinh không được ở tương lai."),
            ("moi-full_name", "", "Hãy nhập họ và tên"),
            ("moi-phone", "gọi tôi", "Số điện thoại chỉ gồm chữ số"),
            # The importer's rules, word for word (hocvien.rules).
            (
                "moi-full_name",
                "<script>alert(1)</script>",
                "Họ và tên có chữ số; hãy chỉ ghi họ và tên.",
            ),
            (
                "moi-full_name",
                "Nguyễn <b>Văn</b> An",
                "Họ và tên có ký tự «&lt;» không dùng trong họ tên; hãy chỉ ghi chữ cái.",
            ),
            ("moi-full_name", "Lê Văn\u200b An", "có ký tự ẩn không in được (mã U+200B"),
            (
                "moi-full_name",
                "Nguyễn " + "Thị " * 30 + "An",
                "Họ và tên dài quá 100 ký tự (đang có 129 ký tự).",
            ),
            ("moi-date_of_birth", "01/01/2016", "tuổi học viên phải từ 15 đến 100"),
        ],
    )
    def test_bad_values_keep_what_was_typed(self, logged_in, course, field, value, message):
        before = Trainee.objects.count()
        response = logged_in.post(
            add_url(course), new_trainee(**{field: value, "moi-position": "Trưởng ban"})
        )
        assert response.status_code == 200
        assert message in response.text
        assert 'value="Trưởng ban"' in response.text
        assert Trainee.objects.count() == before
        assert not course.enrolments.exists()

    def test_a_taken_national_id_names_the_holder(self, logged_in, course, centre):
        builders.make_trainee(centre, full_name="Đỗ Văn Nam", national_id="001195000123")
        response = logged_in.post(
            add_url(course), new_trainee(**{"moi-national_id": "001195000123"})
        )
        assert response.status_code == 200
        assert "Đỗ Văn Nam" in response.text
        assert not course.enrolments.exists()

    def test_a_full_class_creates_no_trainee(self, logged_in, centre):
        course = builders.make_course(centre, capacity=1)
        builders.make_enrolment(course)
        before = Trainee.objects.count()
        response = logged_in.post(add_url(course), new_trainee())
        assert response.status_code == 200
        assert "Lớp chỉ nhận tối đa 1 học viên" in response.text
        assert Trainee.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [CourseStatus.GRADING, CourseStatus.CLOSED, CourseStatus.CANCELLED]
)
def test_no_enrolment_once_the_class_is_past_teaching(logged_in, centre, status):
    course = builders.make_course(centre, status=status)
    response = logged_in.get(add_url(course))
    assert response.status_code == 302
    assert response["Location"] == detail_url(course, "hoc-vien")
    assert "chỉ ghi danh thêm học viên khi lớp" in flash(response)[0]
    response = logged_in.post(add_url(course), new_trainee())
    assert response.status_code == 302
    assert not course.enrolments.exists()
    assert not Trainee.objects.filter(full_name="Phạm Thị Hoa").exists()


# --- withdrawal ------------------------------------------------------------------------------


@pytest.mark.django_db
class TestWithdrawal:
    def test_confirmation_page(self, logged_in, course):
        enrolment = builders.make_enrolment(course)
        response = logged_in.get(withdraw_url(enrolment))
        assert response.status_code == 200
        assert enrolment.trainee.full_name in response.text
        assert "Ghi danh không bị xóa" in response.text
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.ACTIVE

    def test_a_reason_is_required(self, logged_in, course):
        enrolment = builders.make_enrolment(course)
        response = logged_in.post(withdraw_url(enrolment), {"ly_do": ""})
        assert response.status_code == 200
        assert "Hãy ghi lý do thôi học" in response.text
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.ACTIVE

    def test_withdrawn_and_kept(self, logged_in, course):
        enrolment = builders.make_enrolment(course)
        response = logged_in.post(withdraw_url(enrolment), {"ly_do": "Đơn vị rút tên"})
        assert response.status_code == 302
        assert response["Location"] == detail_url(course, "hoc-vien")
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.status_reason) == (
            EnrolmentStatus.WITHDRAWN,
            "Đơn vị rút tên",
        )
        assert "đã thôi học lớp" in flash(response)[0]
        page = logged_in.get(detail_url(course))
        assert "Đơn vị rút tên" in page.text

    def test_twice_is_refused(self, logged_in, course):
        enrolment = builders.make_enrolment(
            course, status=EnrolmentStatus.WITHDRAWN, status_reason="Lần một"
        )
        response = logged_in.post(withdraw_url(enrolment), {"ly_do": "Lần hai"})
        assert response.status_code == 302
        assert "đã thôi học từ trước" in flash(response)[0]
        enrolment.refresh_from_db()
        assert enrolment.status_reason == "Lần một"

    def test_refused_in_a_closed_class(self, logged_in, centre):
        course = builders.make_course(centre, status=CourseStatus.CLOSED)
        enrolment = builders.make_enrolment(course)
        response = logged_in.post(withdraw_url(enrolment), {"ly_do": "Muộn"})
        assert response.status_code == 302
        assert "không thể cho học viên thôi học" in flash(response)[0]
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.ACTIVE


@pytest.mark.django_db
class TestNewTraineeLikeTheImporter:
    def test_a_long_name_is_never_cut_by_the_browser(self, logged_in, course):
        # A maxlength attribute would make the browser cut a pasted name without a word.
        text = logged_in.get(add_url(course)).text
        (tag,) = re.findall(r'<input[^>]*name="moi-full_name"[^>]*>', text)
        assert "maxlength" not in tag

    def test_a_name_in_capitals_is_written_as_a_name(self, logged_in, course):
        response = logged_in.post(add_url(course), new_trainee(**{"moi-full_name": "PHẠM THỊ HOA"}))
        assert response.status_code == 302
        assert Trainee.objects.get().full_name == "Phạm Thị Hoa"

    def test_the_same_name_and_birth_date_is_proposed_before_a_second_record(
        self, logged_in, course, centre
    ):
        unit = builders.make_unit(centre, name="Đảng ủy xã Tân Định")
        same = builders.make_trainee(
            centre,
            full_name="Phạm Thị Hoa",
            date_of_birth=datetime.date(1990, 5, 17),
            unit=unit,
        )
        # Diacritics count: "Phạm Thị Hòa" is somebody else, and proposes nothing.
        builders.make_trainee(
            centre, full_name="Phạm Thị Hòa", date_of_birth=datetime.date(1990, 5, 17)
        )
        response = logged_in.post(add_url(course), new_trainee())
        assert response.status_code == 200
        text = response.text
        assert "Đã có hồ sơ Phạm Thị Hoa, sinh ngày 17/05/1990" in text
        assert f'data-match="{same.pk}"' in text and "Tân Định" in text
        assert f"?hoc_vien={same.pk}" in text  # enrol the existing record instead
        assert text.count("data-match=") == 1
        assert Trainee.objects.count() == 2 and not course.enrolments.exists()

        response = logged_in.post(add_url(course), new_trainee(**{"moi-nguoi_khac": "1"}))
        assert response.status_code == 302
        assert Trainee.objects.filter(full_name="Phạm Thị Hoa").count() == 2
        assert course.enrolments.get().trainee != same
