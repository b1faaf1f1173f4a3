"""Names are NFC with collapsed spaces on every write path, and their keys stay in step."""

import datetime
import unicodedata

import pytest

from hocvien.models import Trainee
from tests import builders
from trungtam.text import sort_key

NFD_NAME = unicodedata.normalize("NFD", "  Đặng   Thị  Ánh ")


def assert_clean(trainee):
    trainee.refresh_from_db()
    assert trainee.full_name == "Đặng Thị Ánh"
    assert unicodedata.is_normalized("NFC", trainee.full_name)
    assert trainee.search_key == "dang thi anh"
    assert trainee.sort_key == sort_key("Đặng Thị Ánh")


def trainee_values(centre, **overrides):
    values = {
        "centre": centre,
        "full_name": NFD_NAME,
        "date_of_birth": datetime.date(1991, 2, 3),
        "gender": "F",
    }
    values.update(overrides)
    return values


@pytest.mark.django_db
def test_save_normalises(centre):
    assert_clean(Trainee.objects.create(**trainee_values(centre)))


@pytest.mark.django_db
def test_bulk_create_normalises(centre):
    (trainee,) = Trainee.objects.bulk_create([Trainee(**trainee_values(centre))])
    assert_clean(Trainee.objects.get(centre=centre))


@pytest.mark.django_db
def test_bulk_update_recomputes_keys(centre):
    trainee = builders.make_trainee(centre, full_name="Lê Văn Cũ")
    trainee.full_name = NFD_NAME
    Trainee.objects.bulk_update([trainee], ["full_name"])
    assert_clean(trainee)


@pytest.mark.django_db
def test_queryset_update_recomputes_keys(centre):
    trainee = builders.make_trainee(centre, full_name="Lê Văn Cũ")
    Trainee.objects.filter(pk=trainee.pk).update(full_name=NFD_NAME)
    assert_clean(trainee)


@pytest.mark.django_db
def test_save_with_update_fields_recomputes_keys(centre):
    trainee = builders.make_trainee(centre, full_name="Lê Văn Cũ")
    trainee.full_name = NFD_NAME
    trainee.save(update_fields=["full_name"])
    assert_clean(trainee)


@pytest.mark.django_db
def test_full_clean_normalises_before_validating(centre):
    trainee = Trainee(**trainee_values(centre, national_id=" 001203004567 "))
    trainee.full_clean()
    assert trainee.full_name == "Đặng Thị Ánh"
    assert trainee.national_id == "001203004567"


@pytest.mark.django_db
def test_other_text_fields_are_nfc_too(centre):
    unit = builders.make_unit(centre, name=unicodedata.normalize("NFD", "Phường  Phú Lợi"))
    unit.refresh_from_db()
    assert unit.name == "Phường Phú Lợi"
    assert unit.search_key == "phuong phu loi"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "nguyen van an",
        "Nguyễn Văn An",
        "NGUYEN VAN",
        "van an",
        unicodedata.normalize("NFD", "Văn An"),
    ],
)
def test_search_ignores_diacritics_and_case(centre, query):
    wanted = builders.make_trainee(centre, full_name="Nguyễn Văn An")
    builders.make_trainee(centre, full_name="Nguyễn Văn Ân Khác")
    builders.make_trainee(centre, full_name="Trần Thị Bình")
    found = list(Trainee.objects.filter(centre=centre).search(query))
    assert wanted in found
    assert all("Bình" not in t.full_name for t in found)


@pytest.mark.django_db
def test_search_folds_d(centre):
    wanted = builders.make_trainee(centre, full_name="Đỗ Đức Độ")
    assert list(Trainee.objects.search("do duc do")) == [wanted]


@pytest.mark.django_db
def test_search_by_national_id_digits(centre):
    wanted = builders.make_trainee(centre, national_id="079203004567")
    builders.make_trainee(centre, national_id="079203009999")
    assert list(Trainee.objects.search("4567")) == [wanted]


@pytest.mark.django_db
def test_the_database_orders_people_the_vietnamese_way(centre):
    names = ["Đỗ Văn Ân", "Lê Thị Anh", "Nguyễn Văn Đức", "Trần Văn Dũng", "Phạm Ăn", "Lê Văn Anh"]
    Trainee.objects.bulk_create(
        [Trainee(**trainee_values(centre, full_name=name)) for name in names]
    )
    ordered = list(Trainee.objects.filter(centre=centre).values_list("full_name", flat=True))
    assert ordered == [
        "Lê Thị Anh",
        "Lê Văn Anh",
        "Phạm Ăn",
        "Đỗ Văn Ân",
        "Trần Văn Dũng",
        "Nguyễn Văn Đức",
    ]
