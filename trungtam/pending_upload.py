"""An uploaded file kept between preview and confirm, without process memory (DESIGN §11).

The file lives in the user's database-backed session with its SHA-256, one per purpose, and
expires after two hours; confirm re-reads and re-checks it, so nothing trusts the preview.
"""

import base64
import datetime
import hashlib
from dataclasses import dataclass

from django.utils import timezone

PENDING_FOR = datetime.timedelta(hours=2)


@dataclass
class Pending:
    filename: str
    content: bytes
    sha256: str


def pending_store(request, key: str, *, course_id: int, filename: str, content: bytes) -> None:
    """A new upload replaces the previous one of the same purpose."""
    request.session[key] = {
        "course": course_id,
        "filename": filename,
        "sha256": hashlib.sha256(content).hexdigest(),
        "content": base64.b64encode(content).decode("ascii"),
        "uploaded_at": timezone.now().isoformat(),
    }


def pending_load(request, key: str, *, course_id: int) -> Pending | None:
    entry = request.session.get(key)
    if not entry or entry.get("course") != course_id:
        return None
    uploaded_at = datetime.datetime.fromisoformat(entry["uploaded_at"])
    content = base64.b64decode(entry["content"])
    if timezone.now() - uploaded_at > PENDING_FOR or (
        hashlib.sha256(content).hexdigest() != entry["sha256"]
    ):
        pending_clear(request, key)
        return None
    return Pending(filename=entry["filename"], content=content, sha256=entry["sha256"])


def pending_clear(request, key: str) -> None:
    request.session.pop(key, None)
