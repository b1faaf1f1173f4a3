import pytest

from giangvien.models import Lecturer
from hocvien.models import Unit
from tests import builders
from trungtam.listing import name_search


@pytest.mark.django_db
def test_name_search_finds_every_word_folded_in_any_order(centre):
    builders.make_unit(centre, name="UBND phường Đông Hòa")
    builders.make_unit(centre, name="Đảng ủy xã Bình Mỹ")
    found = name_search(Unit.objects.all(), "  hoa   DONG ")
    assert list(found.values_list("name", flat=True)) == ["UBND phường Đông Hòa"]
    assert name_search(Unit.objects.all(), "dong binh").count() == 0


@pytest.mark.django_db
def test_name_search_reads_a_person_s_full_name_and_keeps_every_row_for_blank_text(centre):
    builders.make_lecturer(centre, full_name="Trần Thị Đào")
    builders.make_lecturer(centre, full_name="Nguyễn Văn An")
    assert [x.full_name for x in name_search(Lecturer.objects.all(), "dao tran")] == [
        "Trần Thị Đào"
    ]
    assert name_search(Lecturer.objects.all(), " ").count() == 2
