"""The calls' screens: staff create, publish, follow and accept; the unit answers its own."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from chieusinh import answers
from chieusinh.models import Call, CallAnswer, CallAnswerLine, CallQuota, CallStatus
from lophoc.models import Enrolment
from tests import builders
from tests.chieusinh.helpers import future_course, make_call, make_liaison
from tests.property.support import post_forms

pytestmark = pytest.mark.django_db


def _quota_post(course, rows, deadline):
    data = {
        "han_gui": deadline.strftime("%d/%m/%Y"),
        "so": "",
        "ghi_chu": "Đề nghị cử đúng đối tượng.",
        "chi_tieu-TOTAL_FORMS": str(len(rows)),
        "chi_tieu-INITIAL_FORMS": "0",
        "chi_tieu-MIN_NUM_FORMS": "0",
        "chi_tieu-MAX_NUM_FORMS": "300",
    }
    for index, (unit, quota) in enumerate(rows):
        data[f"chi_tieu-{index}-unit"] = str(unit.pk) if unit else ""
        data[f"chi_tieu-{index}-quota"] = str(quota)
    return data


def test_staff_create_and_publish_a_call(client, centre, staff):
    course = future_course(centre, capacity=5)
    a, b = builders.make_unit(centre, name="Xã An Bình"), builders.make_unit(centre)
    client.force_login(staff)
    url = reverse("chieusinh:call_create") + f"?lop={course.pk}"
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(url, _quota_post(course, [(a, 4), (a, 3)], deadline))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dòng 2: đơn vị «Xã An Bình» đã có ở dòng 1" in text
    assert "Tổng chỉ tiêu (7) vượt sĩ số tối đa của lớp (5)" in text
    assert not Call.objects.exists()

    response = client.post(url, _quota_post(course, [(a, 3), (b, 2)], deadline))
    call = Call.objects.get()
    assert response.url == reverse("chieusinh:call_detail", args=[call.pk])
    client.post(reverse("chieusinh:call_publish", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED
    page = client.get(reverse("chieusinh:call_detail", args=[call.pk])).content.decode()
    assert "Xã An Bình" in page and "Chưa gửi" in page


def test_the_unit_answers_and_staff_accept(client, centre, staff):
    course = future_course(centre)
    unit = builders.make_unit(centre, name="Phường Phú Lợi")
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 3)])
    person = builders.make_trainee(centre, unit=unit, full_name="Võ Thị Hạnh")
    client.force_login(liaison)
    url = reverse("chieusinh:answer", args=[call.pk])
    page = client.get(url, {"q": "vo thi hanh"}).content.decode()
    assert "Võ Thị Hạnh" in page
    client.post(url, {"hanh_dong": "chon", "hoc_vien": person.pk})
    response = client.post(
        url,
        {
            "hanh_dong": "moi",
            "moi-full_name": "ĐẶNG VĂN KHOA",
            "moi-date_of_birth": "12/04/1988",
            "moi-gender": "M",
            "moi-national_id": "",
            "moi-unit": unit.pk,
            "moi-position": "Bí thư chi bộ",
            "moi-phone": "",
        },
    )
    assert response.status_code == 302
    client.post(url, {"hanh_dong": "gui"})
    answer = CallAnswer.objects.get(call=call)
    assert answer.submitted_at and answer.lines.count() == 2
    assert answer.lines.filter(full_name="Đặng Văn Khoa").exists()

    client.force_login(staff)
    client.post(reverse("chieusinh:call_accept", args=[call.pk]))
    names = set(
        Enrolment.objects.filter(course=course).values_list("trainee__full_name", flat=True)
    )
    assert names == {"Võ Thị Hạnh", "Đặng Văn Khoa"}
    client.force_login(liaison)
    page = client.get(url).content.decode()
    assert "Trung tâm đã nhận danh sách" in page


def test_a_crafted_post_for_another_units_person_changes_nothing(client, centre):
    course = future_course(centre)
    unit, other = builders.make_unit(centre), builders.make_unit(centre)
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 2), (other, 2)])
    stranger = builders.make_trainee(centre, unit=other, full_name="Hồ Văn Lạ")
    client.force_login(liaison)
    url = reverse("chieusinh:answer", args=[call.pk])
    response = client.post(url, {"hanh_dong": "chon", "hoc_vien": stranger.pk}, follow=True)
    text = response.content.decode()
    assert "không có trong hồ sơ của đơn vị" in text
    assert "Hồ Văn Lạ" not in text
    assert not CallAnswerLine.objects.exists()
    # Another unit's answer page does not exist for this liaison.
    assert client.get(url, {"don_vi": other.pk}).status_code == 404


def _new_person(unit, national_id, name):
    return {
        "hanh_dong": "moi",
        "moi-full_name": name,
        "moi-date_of_birth": "12/04/1988",
        "moi-gender": "M",
        "moi-national_id": national_id,
        "moi-unit": unit.pk,
    }


def test_a_cccd_of_another_units_person_reads_like_an_unknown_one(client, centre):
    course = future_course(centre)
    unit, other = builders.make_unit(centre), builders.make_unit(centre)
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 2), (other, 2)])
    builders.make_trainee(centre, unit=other, full_name="Hồ Văn Lạ", national_id="001090000777")
    client.force_login(liaison)
    url = reverse("chieusinh:answer", args=[call.pk])
    known = client.post(url, _new_person(unit, "001090000777", "Người Thử"), follow=True)
    unknown = client.post(url, _new_person(unit, "001090000888", "Người Khác"), follow=True)
    for response, name in ((known, "Người Thử"), (unknown, "Người Khác")):
        text = response.content.decode()
        assert response.redirect_chain and f"Đã thêm {name} vào danh sách." in text
        assert "Hồ Văn Lạ" not in text and "không có trong hồ sơ" not in text
    lines = CallAnswerLine.objects.filter(answer__unit=unit)
    assert set(lines.values_list("national_id", "trainee")) == {
        ("001090000777", None),
        ("001090000888", None),
    }


def test_after_the_deadline_the_answer_is_read_only(client, centre):
    course = future_course(centre)
    unit = builders.make_unit(centre)
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 2)])
    Call.objects.filter(pk=call.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    person = builders.make_trainee(centre, unit=unit)
    client.force_login(liaison)
    url = reverse("chieusinh:answer", args=[call.pk])
    response = client.post(url, {"hanh_dong": "chon", "hoc_vien": person.pk}, follow=True)
    assert "Đã quá hạn gửi danh sách" in response.content.decode()
    assert not CallAnswerLine.objects.exists()
    assert 'data-testid="read-only"' in client.get(url).content.decode()


def _nominee_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Đơn vị"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_unit_uploads_its_excel_list(client, centre):
    course = future_course(centre)
    unit = builders.make_unit(centre, name="Xã Tân Định")
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 2)])
    client.force_login(liaison)
    content = _nominee_xlsx(
        [
            ["Nguyễn Thị Mai", "01/02/1990", "Nữ", "001190000111", ""],
            ["Trần Văn Nam", "03/04/1991", "Nam", "", "Xã Tân Định"],
        ]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("danh-sach.xlsx", content)
    response = client.post(
        reverse("chieusinh:answer_upload", args=[call.pk]) + f"?don_vi={unit.pk}", {"file": upload}
    )
    assert response.status_code == 302
    preview = client.get(response.url)
    text = preview.content.decode()
    assert "Nguyễn Thị Mai" in text and "Trần Văn Nam" in text
    sha = preview.context["pending"].sha256
    client.post(
        reverse("chieusinh:answer_confirm", args=[call.pk]),
        {"don_vi": unit.pk, "sha256": sha, "xac_nhan": "1"},
    )
    names = set(CallAnswerLine.objects.values_list("full_name", flat=True))
    assert names == {"Nguyễn Thị Mai", "Trần Văn Nam"}


def _upload(client, action, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(action, {"file": SimpleUploadedFile("ds.xlsx", _nominee_xlsx(rows))})


def _form_to(page: str, step: str) -> dict:
    """The page's POST form that goes to `step` (a URL without its query), as rendered."""
    found = [form for form in post_forms(page) if form["action"].split("?")[0] == step]
    assert len(found) == 1, found
    return found[0]


def test_the_excel_list_replaces_the_list_of_the_unit_whose_page_it_was_sent_from(client, centre):
    course = future_course(centre)
    unit = builders.make_unit(centre, name="Xã Tân Định")
    cell = builders.make_unit(centre, name="Chi bộ Ấp 3", parent=unit)
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 2), (cell, 2)])
    kept = builders.make_trainee(centre, unit=unit, full_name="Lê Thị Giữ")
    quota = CallQuota.objects.get(call=call, unit=unit)
    answers.line_add_trainee(quota=quota, trainee_id=kept.pk, user=liaison)
    client.force_login(liaison)

    page = client.get(reverse("chieusinh:answer", args=[call.pk]), {"don_vi": cell.pk})
    upload = _form_to(page.content.decode(), reverse("chieusinh:answer_upload", args=[call.pk]))
    response = _upload(client, upload["action"], [["Phan Văn Ấp", "03/04/1991", "Nam", "", ""]])
    assert response.status_code == 302
    preview = client.get(response.url).content.decode()
    assert "Chi bộ Ấp 3" in preview and "Phan Văn Ấp" in preview
    confirm = _form_to(preview, reverse("chieusinh:answer_confirm", args=[call.pk]))
    data = {name: values[0] for name, values in confirm["fields"].items()}
    client.post(confirm["action"], {**data, "xac_nhan": "1"})

    assert list(
        CallAnswerLine.objects.filter(answer__unit=cell).values_list("full_name", flat=True)
    ) == ["Phan Văn Ấp"]
    assert list(
        CallAnswerLine.objects.filter(answer__unit=unit).values_list("trainee", flat=True)
    ) == [kept.pk]


def test_a_write_that_does_not_name_one_of_several_units_is_refused(client, centre):
    course = future_course(centre)
    unit = builders.make_unit(centre)
    cell = builders.make_unit(centre, parent=unit)
    liaison = make_liaison(unit)
    call = make_call(course, [(unit, 2), (cell, 2)])
    person = builders.make_trainee(centre, unit=cell)
    client.force_login(liaison)
    refused = "Chưa ghi gì: không rõ đây là danh sách của đơn vị nào"

    upload = reverse("chieusinh:answer_upload", args=[call.pk])
    response = _upload(client, upload, [["Phan Văn Ấp", "03/04/1991", "Nam", "", ""]])
    assert response.url == reverse("chieusinh:unit_calls")
    assert refused in client.get(response.url).content.decode()
    for chosen in (unit, cell):
        preview = client.get(
            reverse("chieusinh:answer_preview", args=[call.pk]), {"don_vi": chosen.pk}
        )
        assert preview.status_code == 302  # nothing was kept for either unit
    # With a file kept for the unit, a confirm without the unit still writes nothing.
    _upload(client, f"{upload}?don_vi={unit.pk}", [["Phan Văn Ấp", "03/04/1991", "Nam", "", ""]])
    preview = client.get(reverse("chieusinh:answer_preview", args=[call.pk]), {"don_vi": unit.pk})
    sha = preview.context["pending"].sha256
    response = client.post(
        reverse("chieusinh:answer_confirm", args=[call.pk]), {"sha256": sha, "xac_nhan": "1"}
    )
    assert response.url == reverse("chieusinh:unit_calls")
    response = client.post(
        reverse("chieusinh:answer", args=[call.pk]), {"hanh_dong": "chon", "hoc_vien": person.pk}
    )
    assert response.url == reverse("chieusinh:unit_calls")
    assert not CallAnswerLine.objects.exists()
    # One unit only: nothing to choose, the unit's own list.
    single = make_call(future_course(centre), [(cell, 1)])
    client.post(
        reverse("chieusinh:answer", args=[single.pk]), {"hanh_dong": "chon", "hoc_vien": person.pk}
    )
    assert CallAnswerLine.objects.filter(answer__call=single, trainee=person).exists()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _units_with_answers(centre, call, n):
    for _ in range(n):
        unit = builders.make_unit(centre)
        CallQuota.objects.create(call=call, unit=unit, quota=1)
        answer = CallAnswer.objects.create(call=call, unit=unit, submitted_at=timezone.now())
        CallAnswerLine.objects.create(answer=answer, unit=unit, full_name="Người Thử")


def test_the_status_page_and_the_units_list_keep_their_queries(client, centre, staff):
    course = future_course(centre, capacity=200)
    call = make_call(course, [(builders.make_unit(centre), 1)])
    client.force_login(staff)
    detail = reverse("chieusinh:call_detail", args=[call.pk])
    mine = reverse("chieusinh:unit_calls")
    _units_with_answers(centre, call, 3)
    small = _count(client, detail), _count(client, mine)
    _units_with_answers(centre, call, 9)
    assert (_count(client, detail), _count(client, mine)) == small
