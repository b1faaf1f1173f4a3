import pytest

from hocvien.models import UnitKind
from tests import builders


@pytest.fixture
def ward(centre):
    return builders.make_unit(centre, name="Đảng bộ phường Phú Lợi", kind=UnitKind.WARD)


@pytest.fixture
def cell(centre, ward):
    return builders.make_unit(centre, name="Chi bộ khu phố 1", kind=UnitKind.PARTY_ORG, parent=ward)


@pytest.fixture
def agency(centre):
    return builders.make_unit(centre, name="Trường THCS Phú Lợi", kind=UnitKind.SCHOOL)


@pytest.fixture
def liaison(ward):
    return builders.make_liaison(ward, username="donvi_phuloi")
