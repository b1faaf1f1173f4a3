"""Materials: staff upload them per program (guarded: nothing stored when refused), versions,
and who may download them."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lophoc.models import CourseStatus
from tailieu.models import Material, MaterialVersion
from tests import builders
from tests.guards import nothing_inflated
from tests.property.files import zip_bomb
from tests.tailieu.helpers import encrypted_pdf, make_material, renamed_exe, small_pdf
from trungtam.document_files import MAX_DOCUMENT_BYTES
from trungtam.models import Role


def _post_new(client, program, content, name="bai-giang.pdf", **extra):
    data = {"ten": "Bài giảng chuyên đề 1", "ghi_chu": "", "tep": SimpleUploadedFile(name, content)}
    data.update(extra)
    return client.post(reverse("tailieu:program_materials", args=[program.pk]), data)


def _stored_files() -> int:
    try:
        return len(default_storage.listdir("tailieu")[1])
    except FileNotFoundError:
        return 0


@pytest.fixture
def program(centre):
    return builders.make_program(centre)


def test_staff_upload_a_material_with_its_hash_and_size(client, staff, program):
    client.force_login(staff)
    content = small_pdf()
    response = _post_new(client, program, content, danh_cho_hoc_vien="on")
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.for_trainees and material.program == program
    version = material.current
    assert version.number == 1 and version.size == len(content) and version.kind == "pdf"
    assert len(version.sha256) == 64 and version.filename == "bai-giang.pdf"
    page = client.get(reverse("tailieu:program_materials", args=[program.pk]))
    assert "Bài giảng chuyên đề 1" in page.content.decode()


@pytest.mark.parametrize(
    "content, name, message",
    [
        (renamed_exe(), "bai-giang.pdf", "không phải tài liệu được nhận"),
        (encrypted_pdf(), "bai-giang.pdf", "mật khẩu"),
        (b"%PDF-1.4\n" + b" " * (MAX_DOCUMENT_BYTES + 1), "lon.pdf", "quá lớn"),
        (zip_bomb(60), "bai-giang.docx", "khi giải nén"),
    ],
    ids=["renamed-exe", "encrypted", "oversized", "zip-bomb"],
)
def test_a_refused_upload_stores_nothing(client, staff, program, content, name, message):
    client.force_login(staff)
    before = _stored_files()
    with nothing_inflated():
        response = _post_new(client, program, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Material.objects.exists() and not MaterialVersion.objects.exists()
    assert _stored_files() == before


def test_a_refused_new_version_stores_nothing_and_keeps_the_current(client, staff, program):
    material = make_material(program, user=staff)
    client.force_login(staff)
    response = client.post(
        reverse("tailieu:material_version", args=[material.pk]),
        {"tep": SimpleUploadedFile("moi.pdf", renamed_exe())},
    )
    assert response.status_code == 200
    assert "không phải tài liệu được nhận" in response.content.decode()
    assert material.versions.count() == 1
    material.refresh_from_db()
    assert material.current.number == 1


def test_a_new_version_replaces_the_current_and_the_old_stays_downloadable(client, staff, program):
    material = make_material(program, user=staff)
    first = material.current
    client.force_login(staff)
    new = small_pdf("Ban moi")
    response = client.post(
        reverse("tailieu:material_version", args=[material.pk]),
        {"tep": SimpleUploadedFile("ban-moi.pdf", new)},
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.current.number == 2 and material.versions.count() == 2
    current = client.get(reverse("tailieu:material_download", args=[material.pk]))
    assert b"".join(current.streaming_content) == new
    old = client.get(reverse("tailieu:version_download", args=[first.pk]))
    assert hashlib.sha256(b"".join(old.streaming_content)).hexdigest() == first.sha256
    detail = client.get(reverse("tailieu:material_detail", args=[material.pk])).content.decode()
    assert "ban-moi.pdf" in detail and "Hiện hành" in detail


def test_staff_edit_the_trainee_flag(client, staff, program):
    material = make_material(program, user=staff)
    client.force_login(staff)
    response = client.post(
        reverse("tailieu:material_detail", args=[material.pk]),
        {"ten": "Tài liệu học tập", "danh_cho_hoc_vien": "on"},
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.for_trainees and material.title == "Tài liệu học tập"


def test_a_topic_of_another_program_is_refused(client, staff, program, centre):
    other = builders.make_program(centre)
    topic = other.topics.create(title="Chuyên đề khác", order=1)
    client.force_login(staff)
    response = _post_new(client, program, small_pdf(), chuyen_de=topic.pk)
    assert response.status_code == 200
    assert not Material.objects.exists()


def test_the_lecturer_of_a_class_downloads_its_programs_materials_only(client, centre):
    user = builders.make_user(role=Role.LECTURER, centre=centre, username="gv")
    lecturer = builders.make_lecturer(centre, user=user)
    course = builders.make_course(centre)
    builders.make_session(course, lecturer=lecturer)
    mine = make_material(course.program, title="Của lớp")
    other = make_material(builders.make_program(centre), title="Chương trình khác")
    client.force_login(user)
    response = client.get(reverse("tailieu:material_download", args=[mine.pk]))
    assert response.status_code == 200
    assert client.get(reverse("tailieu:material_download", args=[other.pk])).status_code == 404
    # Older versions and the management pages are for staff.
    assert (
        client.get(reverse("tailieu:version_download", args=[mine.current.pk])).status_code == 403
    )
    assert client.get(reverse("tailieu:material_detail", args=[mine.pk])).status_code == 403


def test_a_cancelled_class_gives_its_lecturer_no_materials(client, centre):
    user = builders.make_user(role=Role.LECTURER, centre=centre, username="gv")
    lecturer = builders.make_lecturer(centre, user=user)
    course = builders.make_course(centre, status=CourseStatus.CANCELLED)
    builders.make_session(course, lecturer=lecturer)
    material = make_material(course.program)
    client.force_login(user)
    assert client.get(reverse("tailieu:material_download", args=[material.pk])).status_code == 404


def test_officials_get_no_files(client, official, province_official, centre):
    material = make_material(builders.make_program(centre))
    for user in (official, province_official):
        client.force_login(user)
        url = reverse("tailieu:material_download", args=[material.pk])
        assert client.get(url).status_code == 403


def test_another_centres_staff_do_not_find_the_material(client, other_staff, centre):
    material = make_material(builders.make_program(centre))
    client.force_login(other_staff)
    assert client.get(reverse("tailieu:material_download", args=[material.pk])).status_code == 404
    assert client.get(reverse("tailieu:material_detail", args=[material.pk])).status_code == 404


def _version_url(material, number):
    return reverse("tailieu:version_delete", args=[material.versions.get(number=number).pk])


def test_a_wrong_version_is_removed_and_the_latest_remaining_becomes_current(
    client, staff, program, django_capture_on_commit_callbacks
):
    material = make_material(program, title="Bài giảng")
    client.force_login(staff)
    for text in ("Ban 2", "Ban 3 nham"):
        client.post(
            reverse("tailieu:material_version", args=[material.pk]),
            {"tep": SimpleUploadedFile("b.pdf", small_pdf(text))},
        )
    wrong = material.versions.get(number=3)
    assert all(default_storage.exists(v.file.name) for v in material.versions.all())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_version_url(material, 3), follow=True)

    assert "phiên bản hiện hành là phiên bản 2" in response.content.decode()
    material.refresh_from_db()
    assert material.current.number == 2
    assert list(material.versions.values_list("number", flat=True).order_by("number")) == [1, 2]
    assert not default_storage.exists(wrong.file.name)
    assert all(default_storage.exists(v.file.name) for v in material.versions.all())
    # An older version removed: the current one stays.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_version_url(material, 1))
    material.refresh_from_db()
    assert material.current.number == 2 and material.versions.count() == 1


def test_the_only_version_is_not_removed_alone(client, staff, program):
    material = make_material(program, title="Bài giảng")
    client.force_login(staff)
    response = client.post(_version_url(material, 1), follow=True)
    assert "phiên bản duy nhất" in response.content.decode()
    assert material.versions.count() == 1 and default_storage.exists(material.current.file.name)
    page = client.get(reverse("tailieu:material_detail", args=[material.pk])).content.decode()
    assert "Gỡ phiên bản" not in page  # no button for it


def test_a_material_is_removed_with_its_versions_and_files_after_a_confirmation(
    client, staff, program, centre, django_capture_on_commit_callbacks
):
    material = make_material(program, title="Tài liệu nhầm", for_trainees=True)
    kept = make_material(program, title="Tài liệu đúng")
    course = builders.make_course(centre, program=program)
    removed_file = material.current.file.name
    client.force_login(staff)
    url = reverse("tailieu:material_delete", args=[material.pk])
    confirm = client.get(url).content.decode()
    assert "không hoàn tác được" in confirm and "học viên" in confirm
    assert Material.objects.count() == 2  # a GET removes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert response.url == reverse("tailieu:program_materials", args=[program.pk])
    assert list(Material.objects.all()) == [kept]
    assert MaterialVersion.objects.filter(material_id=material.pk).count() == 0
    assert not default_storage.exists(removed_file)
    assert default_storage.exists(kept.current.file.name)
    from tailieu.materials import trainee_materials

    assert not trainee_materials(course).exists()
    assert Material.history.filter(id=material.pk, history_type="-").exists()


def test_a_failed_removal_keeps_the_files(client, staff, program, monkeypatch):
    """The files go only after the rows are gone for good."""
    material = make_material(program, title="Bài giảng")
    name = material.current.file.name
    from tailieu import materials

    def broken(**kwargs):
        raise RuntimeError("mất kết nối cơ sở dữ liệu")

    monkeypatch.setattr(Material, "delete", lambda self, *a, **k: broken())
    with pytest.raises(RuntimeError):
        materials.material_delete(material=material)
    assert default_storage.exists(name) and Material.objects.filter(pk=material.pk).exists()


def test_lecturers_and_other_centres_cannot_remove(client, centre, program, other_staff):
    material = make_material(program, title="Bài giảng")
    lecturer_user = builders.make_user(role=Role.LECTURER, centre=centre, username="gv_go")
    for user, expected in ((lecturer_user, 403), (other_staff, 404)):
        client.force_login(user)
        assert client.post(reverse("tailieu:material_delete", args=[material.pk])).status_code == (
            expected
        )
        assert client.post(_version_url(material, 1)).status_code == expected
    assert Material.objects.filter(pk=material.pk).exists()
    assert default_storage.exists(material.current.file.name)


def test_a_removed_version_s_number_is_never_given_again(client, staff, program):
    material = make_material(program, title="Bài giảng")
    client.force_login(staff)
    upload = reverse("tailieu:material_version", args=[material.pk])
    client.post(upload, {"tep": SimpleUploadedFile("b2.pdf", small_pdf("Ban 2"))})
    client.post(_version_url(material, 2))  # version 2 was the wrong file
    client.post(upload, {"tep": SimpleUploadedFile("b3.pdf", small_pdf("Ban 3"))})
    material.refresh_from_db()
    assert sorted(material.versions.values_list("number", flat=True)) == [1, 3]
    assert material.current.number == 3 and material.current.filename == "b3.pdf"
