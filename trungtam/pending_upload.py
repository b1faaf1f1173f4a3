"""An uploaded file kept between preview and confirm, without process memory (DESIGN §11).

The file waits server-side in a PendingUpload row (owner, purpose, size, SHA-256, upload time);
the session holds only the row's id, so a large file never rides along with every later request
of the user. One per user and purpose; it expires after two hours, and expired rows are removed
whenever an upload is stored. Confirm re-reads and re-checks the file, so nothing trusts the
preview.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trungtam.models import PendingUpload, User

PENDING_FOR = datetime.timedelta(hours=2)
MAX_BYTES = 5 * 1024 * 1024  # the largest upload any form accepts (imports, grade sheets)


@dataclass
class Pending:
    filename: str
    content: bytes
    sha256: str
    notes: dict = field(default_factory=dict)


def pending_purge() -> int:
    """Remove every expired pending upload (all users); returns how many."""
    deleted, _ = PendingUpload.objects.filter(created_at__lt=timezone.now() - PENDING_FOR).delete()
    return deleted


@transaction.atomic
def pending_store(request, key: str, *, course_id: int, filename: str, content: bytes) -> None:
    """A new upload replaces the previous one of the same purpose."""
    if len(content) > MAX_BYTES:
        raise ValidationError(f"Tệp quá lớn; chỉ nhận tệp đến {MAX_BYTES // 1024 // 1024} MB.")
    pending_purge()
    # Two uploads of one user at once (a double click, two tabs) wait for each other here rather
    # than both deleting nothing and one failing on the one-per-purpose constraint.
    list(User.objects.select_for_update().filter(pk=request.user.pk).values_list("pk", flat=True))
    PendingUpload.objects.filter(owner=request.user, purpose=key).delete()
    row = PendingUpload.objects.create(
        owner=request.user,
        purpose=key,
        scope_id=course_id,
        filename=filename[:255],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    request.session[key] = row.pk


def pending_load(request, key: str, *, course_id: int) -> Pending | None:
    row_id = request.session.get(key)
    if not isinstance(row_id, int):
        return None
    row = PendingUpload.objects.filter(pk=row_id, owner=request.user, purpose=key).first()
    if row is None or row.scope_id != course_id:
        return None
    content = bytes(row.content)
    if timezone.now() - row.created_at > PENDING_FOR or (
        hashlib.sha256(content).hexdigest() != row.sha256
    ):
        pending_clear(request, key)
        return None
    return Pending(filename=row.filename, content=content, sha256=row.sha256, notes=row.notes)


def pending_note(request, key: str, notes: dict) -> None:
    """Keep what the preview showed with the pending upload (never in the session)."""
    row_id = request.session.get(key)
    if isinstance(row_id, int):
        PendingUpload.objects.filter(pk=row_id, owner=request.user, purpose=key).update(notes=notes)


def pending_clear(request, key: str) -> None:
    row_id = request.session.pop(key, None)
    if request.user.is_authenticated:
        PendingUpload.objects.filter(owner=request.user, purpose=key).delete()
    elif isinstance(row_id, int):
        PendingUpload.objects.filter(pk=row_id).delete()
