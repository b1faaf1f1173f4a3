"""Role fixtures: staff, other-centre staff, lecturer, official, admin — every view tried as each."""

import pytest

from tests import builders

# The test PKI and the centre's key (issue 18), for any test that signs.
from tests.signing_fixtures import centre_key, signing_pki, unsigned_pdf  # noqa: F401
from trungtam.models import Role


@pytest.fixture
def centre(db):
    return builders.make_centre(code="TTA", name="Trung tâm Chính trị phường Phú Lợi")


@pytest.fixture
def other_centre(db):
    return builders.make_centre(code="TTB", name="Trung tâm Chính trị xã Bình Mỹ")


@pytest.fixture
def staff(centre):
    return builders.make_user(role=Role.STAFF, centre=centre, username="canbo")


@pytest.fixture
def other_staff(other_centre):
    return builders.make_user(role=Role.STAFF, centre=other_centre, username="canbo_khac")


@pytest.fixture
def admin_user(centre):
    return builders.make_user(role=Role.ADMIN, centre=centre, username="quantri")


@pytest.fixture
def superuser(db):
    return builders.make_user(role=Role.ADMIN, centre=None, username="root", is_superuser=True)


@pytest.fixture
def official(centre):
    return builders.make_user(role=Role.OFFICIAL, centre=centre, username="capuy")


@pytest.fixture
def province_official(db):
    return builders.make_user(role=Role.OFFICIAL, centre=None, username="tinh")


@pytest.fixture
def lecturer(centre):
    user = builders.make_user(role=Role.LECTURER, centre=centre, username="giangvien")
    builders.make_lecturer(centre, user=user, full_name="Lê Thị Hồng")
    return user


@pytest.fixture
def course(centre):
    return builders.make_course(centre)


@pytest.fixture
def other_course(other_centre):
    return builders.make_course(other_centre)
