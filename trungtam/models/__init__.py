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
from .plan import AnnualPlan, PlanStatus, PlanTarget
from .report import ReportStatus, YearlyReport

__all__ = [
    "SIGNING_TITLES",
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
    "PersonNameMixin",
    "PlanStatus",
    "PlanTarget",
    "ReportStatus",
    "Role",
    "User",
    "YearlyReport",
]
