"""The steps the nominee list and the grade sheet share: what the person reads when the waiting
file is missing or has changed, and cancelling (lophoc/views/upload_flow.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lophoc.views.imports import SESSION_KEY as NOMINEE_KEY
from tests.lophoc.nominee_files import xlsx_people

pytestmark = pytest.mark.django_db

FLOWS = {
    "import": {
        "nothing": "Chưa có file danh sách nào đang chờ xem trước; hãy tải file lên.",
        "gone": "Không còn file nào chờ xác nhận (đã ghi, đã hủy hoặc quá hạn 2 giờ); hãy tải "
        "file lên lại.",
        "cancelled": "Đã hủy nhập danh sách; không có gì được ghi.",
    },
    "grade_sheet": {
        "nothing": "Chưa có bảng điểm nào đang chờ xem trước; hãy tải file lên.",
        "gone": "Không còn bảng điểm nào chờ xác nhận (đã ghi, đã hủy hoặc quá hạn 2 giờ); hãy "
        "tải bảng điểm lên lại.",
        "cancelled": "Đã hủy nhập bảng điểm; không có gì được ghi.",
    },
}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.parametrize("flow", FLOWS)
def test_without_a_waiting_file_preview_and_confirm_send_back_to_the_upload(
    staff_client, course, flow
):
    upload = reverse(f"lophoc:{flow}_upload", args=[course.pk])
    response = staff_client.get(reverse(f"lophoc:{flow}_preview", args=[course.pk]))
    assert response.url == upload and messages_of(response) == [FLOWS[flow]["nothing"]]
    response = staff_client.post(reverse(f"lophoc:{flow}_confirm", args=[course.pk]))
    assert response.url == upload and messages_of(response)[-1] == FLOWS[flow]["gone"]


@pytest.mark.parametrize("flow", FLOWS)
def test_cancelling_says_nothing_was_written(staff_client, course, flow):
    response = staff_client.post(reverse(f"lophoc:{flow}_cancel", args=[course.pk]))
    assert response.status_code == 302 and messages_of(response) == [FLOWS[flow]["cancelled"]]


def test_a_confirm_for_another_file_than_the_one_waiting_goes_back_to_the_preview(
    staff_client, course
):
    staff_client.post(
        reverse("lophoc:import_upload", args=[course.pk]),
        {"file": SimpleUploadedFile("danh-sach.xlsx", xlsx_people(1))},
    )
    response = staff_client.post(
        reverse("lophoc:import_confirm", args=[course.pk]), {"sha256": "0" * 64}
    )
    assert response.url == reverse("lophoc:import_preview", args=[course.pk])
    assert messages_of(response) == [
        "File đang chờ đã thay đổi (có thể bạn vừa tải một file khác ở cửa sổ khác). Hãy xem "
        "lại bản xem trước rồi xác nhận."
    ]
    assert NOMINEE_KEY in staff_client.session  # the waiting file stays for its own confirm
