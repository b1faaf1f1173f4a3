"""The liaison of a sending unit (issue 16): a login made by staff or by `manage.py unit_account`,
which sees its unit's people and those of the units under it, never another unit's."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from hocvien.accounts import unit_account_create, unit_account_set_active
from hocvien.models import Trainee, Unit, UnitAccount
from lophoc.models import Certificate, Course, Enrolment
from tests import builders
from trungtam.models import Role
from trungtam.scoping import Right, has_right, visible

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(centre):
    return builders.make_unit(centre, name="Đảng ủy xã Tân Hòa")


def liaison_of(unit):
    user, _ = unit_account_create(unit=unit, full_name="Phạm Thị Lan")
    return user


def test_a_login_for_the_unit_with_a_one_time_password(commune, staff):
    user, password = unit_account_create(
        unit=commune, full_name="  Phạm   Thị Lan ", username="tanhoa", created_by=staff
    )
    user.refresh_from_db()
    assert (user.username, user.role, user.centre_id) == ("tanhoa", Role.UNIT, commune.centre_id)
    assert user.full_name == "Phạm Thị Lan"
    assert user.check_password(password) and password not in user.password
    assert UnitAccount.objects.get(user=user).unit == commune
    assert not user.is_staff  # never the Django admin
    assert has_right(user, Right.UNIT) and not has_right(user, Right.VIEW)


def test_the_user_name_is_suggested_from_the_unit(commune):
    first, second = liaison_of(commune), liaison_of(commune)
    assert (first.username, second.username) == ("danguyxatanhoa", "danguyxatanhoa2")


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("Tân Hòa", "không hợp lệ"),
        ("ab", "không hợp lệ"),
        ("canbo", "đã có người dùng"),
    ],
)
def test_a_bad_or_taken_user_name_is_refused_and_nothing_is_made(commune, staff, username, message):
    with pytest.raises(ValidationError) as refused:
        unit_account_create(unit=commune, full_name="Lan", username=username)
    assert message in refused.value.message_dict["username"][0]
    assert not UnitAccount.objects.exists()


def test_a_unit_that_no_longer_exists_gets_no_login(centre, commune):
    old = builders.make_unit(centre, name="Thị trấn cũ", active=False, merged_into=commune)
    with pytest.raises(ValidationError) as refused:
        unit_account_create(unit=old, full_name="Lan")
    assert "không còn hoạt động" in refused.value.message_dict["unit"][0]
    assert not UnitAccount.objects.exists()


def test_locking_and_unlocking(commune):
    user = liaison_of(commune)
    account = user.unit_account
    unit_account_set_active(account=account, active=False)
    user.refresh_from_db()
    assert not user.is_active
    with pytest.raises(ValidationError, match="đã bị khóa từ trước"):
        unit_account_set_active(account=account, active=False)


def test_a_liaison_sees_its_own_people_and_those_of_the_units_under_it(centre, course, commune):
    cell = builders.make_unit(centre, name="Chi bộ ấp 1", parent=commune)
    other = builders.make_unit(centre, name="Xã Bình An")
    own, below, foreign = (
        builders.make_trainee(centre, unit=unit, full_name=name)
        for unit, name in ((commune, "Lê Văn Một"), (cell, "Lê Văn Hai"), (other, "Lê Văn Ba"))
    )
    enrolments = {
        t.pk: builders.make_enrolment(course, trainee=t, unit=t.unit) for t in (own, below, foreign)
    }
    user = liaison_of(commune)

    assert set(visible(user, Trainee.objects.all())) == {own, below}
    assert set(visible(user, Unit.objects.all())) == {commune, cell}
    assert set(visible(user, Enrolment.objects.all())) == {
        enrolments[own.pk],
        enrolments[below.pk],
    }
    # Classes, certificates of others, the centre's own records: nothing.
    assert not visible(user, Course.objects.all()).exists()
    assert not visible(user, Certificate.objects.exclude(enrolment__unit__in=[commune, cell]))

    # The cell's liaison sees only the cell.
    assert set(visible(liaison_of(cell), Trainee.objects.all())) == {below}


def test_the_people_a_unit_sent_stay_its_own_after_they_move(centre, course, commune):
    """An enrolment keeps the unit that sent the person then, though the person moved on."""
    other = builders.make_unit(centre, name="Xã Bình An")
    trainee = builders.make_trainee(centre, unit=commune, full_name="Lê Văn Một")
    enrolment = builders.make_enrolment(course, trainee=trainee, unit=commune)
    trainee.unit = other
    trainee.save()
    user = liaison_of(commune)
    assert list(visible(user, Enrolment.objects.all())) == [enrolment]
    assert not visible(user, Trainee.objects.all()).exists()


def test_another_centres_unit_of_the_same_name_is_never_seen(centre, other_centre, commune):
    twin = builders.make_unit(other_centre, name=commune.name)
    builders.make_trainee(other_centre, unit=twin, full_name="Lê Văn Bốn")
    assert not visible(liaison_of(commune), Trainee.objects.all()).exists()


# --- manage.py unit_account --------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("unit_account", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_the_command_prints_the_one_time_password(centre, commune):
    output = run("tanhoa", "--unit", "dang uy xa tan hoa", "--centre", "tta")
    user = UnitAccount.objects.get().user
    assert user.username == "tanhoa" and user.full_name == commune.name
    password = output.split("Mật khẩu dùng một lần: ")[1].strip()
    assert user.check_password(password)


def test_the_command_refuses_an_unknown_or_ambiguous_unit(centre, other_centre, commune, staff):
    builders.make_unit(other_centre, name=commune.name)
    with pytest.raises(CommandError, match="Không có đơn vị «Xã Không Có»") as unknown:
        run("tanhoa", "--unit", "Xã Không Có")
    with pytest.raises(CommandError, match="Có 2 đơn vị tên .* TTA, TTB") as ambiguous:
        run("tanhoa", "--unit", commune.name)
    with pytest.raises(CommandError, match="đã có người dùng") as taken:
        run("canbo", "--unit", commune.name, "--centre", "TTA")
    assert unknown.value.returncode == ambiguous.value.returncode == taken.value.returncode == 1
    assert not UnitAccount.objects.exists()


def test_the_command_without_a_unit_is_wrong_usage(staff):
    with pytest.raises(CommandError, match="--unit"):
        run("tanhoa")
