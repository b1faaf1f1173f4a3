"""Teaching materials: upload (with the document guard), versions, who may read them, and the
public class link through which trainees download the files marked for them.

Nothing is stored when a file is refused: the guard runs before any row or file is written, and
the rows of one upload are written in one transaction.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse

from lophoc.models import Course, CourseStatus, Program, ProgramTopic
from tailieu.models import ClassLink, Material, MaterialVersion, new_class_token
from trungtam.document_files import MATERIAL_KINDS, DocumentRefused, document_kind
from trungtam.models import Role, User
from trungtam.scoping import taught_courses

__all__ = ["DocumentRefused"]

# The program's own materials first, then by topic: NULLs sort first on SQLite and last on
# PostgreSQL unless said.
PROGRAM_FIRST = F("topic__order").asc(nulls_first=True)


def _checked_file(content: bytes, filename: str):
    """The kind of an accepted file, or DocumentRefused (nothing stored yet)."""
    return document_kind(content, filename, kinds=MATERIAL_KINDS)


def _store_version(*, material: Material, content: bytes, filename: str, kind, user) -> None:
    """Under the material's row lock (or in the transaction that made it)."""
    number = material.last_version + 1
    version = MaterialVersion(
        material=material,
        number=number,
        filename=filename[:255] or f"tai-lieu{kind.extension}",
        kind=kind.code,
        extension=kind.extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    version.file.save("tai-lieu", ContentFile(content), save=False)
    version.save()
    material.current = version
    material.last_version = number
    material.save(update_fields=["current", "last_version"])


def material_create(
    *,
    program: Program,
    topic: ProgramTopic | None,
    title: str,
    note: str,
    for_trainees: bool,
    content: bytes,
    filename: str,
    user: User,
) -> Material:
    """A new material with its first version; DocumentRefused before anything is written."""
    kind = _checked_file(content, filename)
    if topic is not None and topic.program_id != program.pk:
        raise ValidationError({"topic": "Chuyên đề này không thuộc chương trình đã chọn."})
    with transaction.atomic():
        material = Material(
            program=program,
            topic=topic,
            title=title,
            note=note,
            for_trainees=for_trainees,
            created_by=user,
        )
        material.full_clean(exclude=["current"])
        material.save()
        _store_version(material=material, content=content, filename=filename, kind=kind, user=user)
    return material


def material_add_version(*, material: Material, content: bytes, filename: str, user: User):
    """A new version replaces the current one; the older ones stay."""
    kind = _checked_file(content, filename)
    with transaction.atomic():
        locked = Material.objects.select_for_update().get(pk=material.pk)
        _store_version(material=locked, content=content, filename=filename, kind=kind, user=user)
    material.refresh_from_db()
    return material.current


@transaction.atomic
def material_update(
    *, material: Material, topic, title: str, note: str, for_trainees: bool
) -> Material:
    if topic is not None and topic.program_id != material.program_id:
        raise ValidationError({"topic": "Chuyên đề này không thuộc chương trình của tài liệu."})
    material.topic = topic
    material.title = title
    material.note = note
    material.for_trainees = for_trainees
    material.full_clean()
    material.save()
    return material


def _delete_files_after_commit(names: list[str]) -> None:
    """Files go once the rows are gone for good (a rolled-back delete keeps both)."""
    from django.core.files.storage import default_storage

    def delete():
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def material_delete(*, material: Material) -> int:
    """Remove a material with every version and its files (uploaded by mistake, or no longer
    taught): the classes' lecturers and trainees no longer get it. Returns the versions removed."""
    locked = Material.objects.select_for_update().get(pk=material.pk)
    names = [name for name in locked.versions.values_list("file", flat=True) if name]
    locked.delete()  # the versions go with it; the material's history keeps the deletion
    _delete_files_after_commit(names)
    return len(names)


@transaction.atomic
def version_delete(*, version: MaterialVersion) -> MaterialVersion:
    """Remove one version (a wrong file); when it was the current one, the latest remaining
    version becomes current. The only version cannot go: the material is removed instead.
    Returns the material's current version afterwards."""
    material = Material.objects.select_for_update().get(pk=version.material_id)
    others = material.versions.exclude(pk=version.pk).order_by("-number")
    latest = others.first()
    if latest is None:
        raise ValidationError(
            "Đây là phiên bản duy nhất của tài liệu nên không gỡ riêng được. Nếu tài liệu tải "
            "lên nhầm, hãy gỡ cả tài liệu."
        )
    name = version.file.name
    if material.current_id == version.pk:
        material.current = latest
        material.save(update_fields=["current"])
    version.delete()
    _delete_files_after_commit([name] if name else [])
    material.refresh_from_db(fields=["current"])
    return material.current


def version_content(version: MaterialVersion) -> bytes:
    with version.file.open("rb") as stored:
        return stored.read()


def download_name(version: MaterialVersion) -> str:
    """The file's own name, with the extension of what it really is."""
    name = version.filename or "tai-lieu"
    if not name.lower().endswith(version.extension):
        name = name.rsplit(".", 1)[0] + version.extension
    return name


# --- who reads what ----------------------------------------------------------------------------


def in_use(queryset: QuerySet[Material]) -> QuerySet[Material]:
    """Materials with a file, current version and topic loaded, in the catalogue's order."""
    return (
        queryset.filter(current__isnull=False)
        .select_related("current", "topic", "program")
        .order_by("program__name", PROGRAM_FIRST, "title", "id")
    )


def taught_program_ids(user: User) -> QuerySet:
    """The programs of the classes a lecturer (given as their user) teaches, cancelled ones
    left out (a subquery)."""
    return (
        taught_courses(user).exclude(status=CourseStatus.CANCELLED).values("program_id").distinct()
    )


def lecturer_reads_only(user: User) -> bool:
    return user.role == Role.LECTURER and not user.is_superuser


# --- the public class link ----------------------------------------------------------------------


def class_link(course: Course) -> ClassLink:
    link, _ = ClassLink.objects.get_or_create(course=course)
    return link


@transaction.atomic
def class_link_renew(*, course: Course, user: User) -> ClassLink:
    """A new secret address for the class; the old one answers 404 from now on."""
    link, created = ClassLink.objects.select_for_update().get_or_create(course=course)
    if not created:
        link.token = new_class_token()
    link.renewed_by = user
    link.save()
    return link


def public_url(link: ClassLink) -> str:
    return settings.PUBLIC_BASE_URL + reverse("tailieu:public_class", args=[link.token])


def trainee_materials(course: Course) -> QuerySet[Material]:
    return in_use(Material.objects.filter(program_id=course.program_id, for_trainees=True))


def public_course(token: str) -> Course | None:
    """The class of a public link; None for an unknown token or a cancelled class."""
    link = (
        ClassLink.objects.select_related("course")
        .filter(token=token)
        .exclude(course__status=CourseStatus.CANCELLED)
        .first()
    )
    return link.course if link else None


def public_class_links(course: Course) -> list[tuple[str, str]]:
    """The hook lophoc.panels.public_class_links: the class's material link, when it has files
    for trainees (two queries; the link is made the first time it is asked for)."""
    if course.status == CourseStatus.CANCELLED:
        return []
    if not trainee_materials(course).exists():
        return []
    return [("Tài liệu học tập", public_url(class_link(course)))]
