"""The centre's observation form on /du-gio/mau-phieu/."""

from decimal import Decimal

from django.urls import reverse

from dugio.criteria import STANDARD_CRITERIA, criteria_for
from dugio.models import ObservationCriterion
from giangvien.models import Lecturer
from tests.dugio.helpers import past_session, record

URL = "dugio:criteria_edit"


def _posted(criteria) -> dict:
    data = {}
    for index, c in enumerate(criteria, start=1):
        data |= {
            f"tieu_chi_{index}": c.text,
            f"diem_toi_da_{index}": str(c.max_mark).replace(".", ","),
            f"thu_tu_{index}": str(c.order),
            f"dung_{index}": "on",
        }
    return data


def test_the_standard_form_is_shown_unsaved(client, staff):
    client.force_login(staff)
    response = client.get(reverse(URL))
    text = response.content.decode()
    assert response.status_code == 200
    assert STANDARD_CRITERIA[0][0] in text and "mẫu phiếu chuẩn" in text
    assert not ObservationCriterion.objects.exists()
    assert sum(mark for _, mark in STANDARD_CRITERIA) == 100


def test_staff_change_the_form_and_records_keep_theirs(client, staff, course, lecturer, centre):
    session = past_session(course, Lecturer.objects.get(user=lecturer))
    observation = record(session, staff)
    stored = list(ObservationCriterion.objects.filter(centre=centre).order_by("order"))
    client.force_login(staff)
    data = _posted(stored) | {
        "tieu_chi_1": "Chuẩn bị giáo án",
        "diem_toi_da_1": "20",
        "tieu_chi_11": "Sử dụng tư liệu địa phương",
        "diem_toi_da_11": "5",
        "thu_tu_11": "11",
        "dung_11": "on",
    }
    del data["dung_10"]
    response = client.post(reverse(URL), data)
    assert response.status_code == 302
    in_use = criteria_for(centre)
    assert [c.text for c in in_use][0] == "Chuẩn bị giáo án"
    assert in_use[-1].text == "Sử dụng tư liệu địa phương"
    assert len(in_use) == 10 and sum(c.max_mark for c in in_use) == Decimal("105")
    first = observation.marks.order_by("order").first()
    assert first.text == STANDARD_CRITERIA[0][0] and first.max_mark == Decimal("10")


def test_a_bad_maximum_is_refused_naming_the_criterion(client, staff, centre):
    client.force_login(staff)
    data = _posted(criteria_for(centre)) | {"diem_toi_da_2": "0"}
    response = client.post(reverse(URL), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "Tiêu chí 2 «Nội dung chính xác" in text and "điểm tối đa là một số từ 0,5 đến 100" in text
    )
    assert not ObservationCriterion.objects.exists()


def test_lecturers_and_officials_may_not_edit_it(client, lecturer, official):
    for user in (lecturer, official):
        client.force_login(user)
        assert client.get(reverse(URL)).status_code == 403
