import pytest

from lophoc.commands import find_course
from tests import builders
from trungtam.commands import BadData, WrongUsage, atomic_write, command_user


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    target = atomic_write(tmp_path / "a.pdf", b"%PDF")
    assert target.read_bytes() == b"%PDF"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_atomic_write_into_missing_folder_is_usage_error(tmp_path):
    with pytest.raises(WrongUsage) as error:
        atomic_write(tmp_path / "khong-co" / "a.pdf", b"x")
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_find_course_by_code_and_ambiguity(centre, other_centre):
    mine = builders.make_course(centre, code="KND-01/2026")
    builders.make_course(other_centre, code="KND-01/2026")
    with pytest.raises(BadData) as error:
        find_course("KND-01/2026")
    assert error.value.returncode == 1
    assert "TTA" in str(error.value) and "TTB" in str(error.value)
    assert find_course("KND-01/2026", "TTA") == mine
    with pytest.raises(BadData, match="Không có lớp"):
        find_course("XYZ")


@pytest.mark.django_db
def test_command_user_defaults_to_a_system_user(staff):
    system = command_user(None, "import_trainees")
    assert system.username == "system-import_trainees" and not system.has_usable_password()
    assert command_user(None, "import_trainees") == system
    assert command_user("canbo", "import_trainees") == staff
    with pytest.raises(WrongUsage):
        command_user("khong-ai", "import_trainees")
