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
from .normalized import NormalizedModel, NormalizedQuerySet, PersonNameMixin
from .pending import PendingUpload
from .plan import AnnualPlan, PlanStatus, PlanTarget
from .report import AllCentresReport, ReportIssuer, ReportStatus, YearlyReport, signing_title_errors

__all__ = [
    "SIGNING_TITLES",
    "AllCentresReport",
    "AnnualPlan",
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
    "PlanStatus",
    "PlanTarget",
    "ReportIssuer",
    "ReportStatus",
    "Role",
    "User",
    "YearlyReport",
    "signing_title_errors",
]
