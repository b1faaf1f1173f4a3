from .base import (
    SIGNING_TITLES,
    Centre,
    CentreLevel,
    DocumentLayout,
    ExportLog,
    Holiday,
    Leader,
    LeaderRole,
    Role,
    User,
)
from .issuer import ReportIssuer, signing_title_errors
from .normalized import NormalizedModel, NormalizedQuerySet, PersonNameMixin
from .pending import PendingUpload
from .signed import SignedDocument, SignedKind, SignedSource

__all__ = [
    "SIGNING_TITLES",
    "Centre",
    "CentreLevel",
    "DocumentLayout",
    "ExportLog",
    "Holiday",
    "Leader",
    "LeaderRole",
    "NormalizedModel",
    "NormalizedQuerySet",
    "PendingUpload",
    "PersonNameMixin",
    "ReportIssuer",
    "Role",
    "SignedDocument",
    "SignedKind",
    "SignedSource",
    "User",
    "signing_title_errors",
]
