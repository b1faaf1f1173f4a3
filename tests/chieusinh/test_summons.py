"""The call's notice (thông báo chiêu sinh): one document for every unit of the call, dated the
day it was published, read back as the director who signs it reads it."""

import datetime
import os
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from chieusinh.models import Call, CallStatus
from tests import builders
from tests.chieusinh.helpers import future_course, make_call, make_liaison
from tests.pdf_reading import pdf_pages
from trungtam.documents.layout import date_line

pytestmark = pytest.mark.django_db


def read(response) -> tuple[bytes, str]:
    content = b"".join(response.streaming_content)
    keep = os.environ.get("KEEP_PDF")
    if keep:
        with open(keep, "wb") as file:
            file.write(content)
    return content, " ".join(" ".join(pdf_pages(content)).split())


@pytest.fixture
def call(centre):
    course = future_course(centre, venue="Hội trường A")
    units = [
        builders.make_unit(centre, name="Xã An Bình"),
        builders.make_unit(centre, name="Chi bộ khu phố 3"),
    ]
    call = make_call(course, [(units[0], 4), (units[1], 12)])
    # 01:30 on 5 February in Vietnam, still the 4th in UTC: the date is the centre's.
    Call.objects.filter(pk=call.pk).update(
        published_at=datetime.datetime(2026, 2, 4, 18, 30, tzinfo=datetime.UTC)
    )
    call.refresh_from_db()
    return call


def test_it_is_the_calls_notice_not_a_summons(client, staff, call):
    client.force_login(staff)
    _, text = read(client.get(reverse("chieusinh:summons_all", args=[call.pk])))
    assert "GIẤY TRIỆU TẬP" not in text
    assert "THÔNG BÁO Về việc cử cán bộ, đảng viên tham dự lớp bồi dưỡng" in text
    assert re.search(rf"Số\s+-TB/{re.escape(call.centre.short_name)}\b", text)
    assert "Kính gửi: Các đơn vị có tên tại danh sách kèm theo" in text


def test_one_document_names_every_unit_in_its_table(client, staff, call):
    client.force_login(staff)
    _, text = read(client.get(reverse("chieusinh:summons_all", args=[call.pk])))
    assert "DANH SÁCH ĐƠN VỊ VÀ SỐ LƯỢNG" in text and "STT Đơn vị Số lượng" in text
    # Units in alphabetical order, a leading zero below ten, the total said once.
    assert "1 Chi bộ khu phố 3 12 đồng chí 2 Xã An Bình 04 đồng chí" in text
    assert text.count("16 đồng chí") == 1 and "Số lượng: 16 đồng chí" in text
    assert "Kính gửi: Xã An Bình" not in text


def test_the_unit_gets_the_same_document_named_by_the_class(client, staff, call):
    unit = call.quotas.get(quota=4).unit
    other = builders.make_unit(call.centre)
    client.force_login(staff)
    everyone = client.get(reverse("chieusinh:summons_all", args=[call.pk]))
    client.force_login(make_liaison(unit))
    own = client.get(reverse("chieusinh:summons_unit", args=[call.pk, unit.pk]))
    assert own.status_code == 200
    expected = f'filename="{call.course.file_code}_thong-bao-chieu-sinh.pdf"'
    assert everyone["Content-Disposition"].endswith(expected)
    assert own["Content-Disposition"].endswith(expected)
    assert read(own)[0] == read(everyone)[0]
    url = reverse("chieusinh:summons_unit", args=[call.pk, other.pk])
    assert client.get(url).status_code == 404


def test_it_is_dated_the_day_the_call_was_published(client, staff, call):
    client.force_login(staff)
    _, text = read(client.get(reverse("chieusinh:summons_all", args=[call.pk])))
    place = call.centre.place_name
    assert date_line(place, datetime.date(2026, 2, 5)) in text
    assert date_line(place, timezone.localdate()) not in text


def test_the_deadline_reads_at_the_latest(client, staff, call):
    client.force_login(staff)
    _, text = read(client.get(reverse("chieusinh:summons_all", args=[call.pk])))
    assert f"chậm nhất ngày {call.deadline:%d/%m/%Y}" in text
    assert "trước hết ngày" not in text
    assert "«" not in text and "»" not in text


def test_a_draft_prints_draft_and_no_date(client, centre, staff):
    course = future_course(centre)
    call = make_call(course, [(builders.make_unit(centre), 3)], publish=False)
    call.number = "25"
    call.save()
    client.force_login(staff)
    _, text = read(client.get(reverse("chieusinh:summons_all", args=[call.pk])))
    assert "DỰ THẢO" in text
    assert f"{centre.place_name}, ngày …… tháng …… năm ……" in text
    assert date_line(centre.place_name, timezone.localdate()) not in text
    assert f"Số 25-TB/{centre.short_name}" in text


def test_a_class_named_with_brackets_is_not_bracketed_twice(client, centre, staff):
    name = "Nghiệp vụ công tác Đảng (bí thư, phó bí thư)"
    program = builders.make_program(centre, name=name)
    course = future_course(centre, program=program, name=f"Lớp {name[0].lower()}{name[1:]}")
    call = make_call(course, [(builders.make_unit(centre), 2)])
    client.force_login(staff)
    _, text = read(client.get(reverse("chieusinh:summons_all", args=[call.pk])))
    assert ") (" not in text and "))" not in text
    assert f"mã lớp {course.code}." in text
    assert "theo chương trình" not in text  # the class is named after it


def test_the_program_is_quoted_when_the_class_is_named_otherwise(client, centre, staff):
    course = future_course(centre, name="Lớp cảm tình Đảng khóa 1")
    call = make_call(course, [(builders.make_unit(centre), 2)])
    client.force_login(staff)
    _, text = read(client.get(reverse("chieusinh:summons_all", args=[call.pk])))
    assert f"theo chương trình “{course.program.name}”" in text


def test_a_call_without_units_prints_nothing_and_says_where(client, centre, staff):
    course = future_course(centre)
    call = Call.objects.create(
        centre=centre, course=course, deadline=course.start_date, status=CallStatus.DRAFT
    )
    client.force_login(staff)
    response = client.get(reverse("chieusinh:summons_all", args=[call.pk]), follow=True)
    assert f"Thông báo chiêu sinh lớp {course.code} chưa giao số lượng" in (
        response.content.decode()
    )
