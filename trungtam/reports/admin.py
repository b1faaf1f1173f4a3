"""Admin of the annual plans and the reports: read here, written on their own pages (approval
and sending are checked there)."""

from django.contrib import admin

from trungtam.admin import ProvinceOnlyMixin
from trungtam.admin_scoping import ScopedHistoryAdmin, ScopedRelatedFilter, ScopedTabularInline

from .models import AllCentresReport, AnnualPlan, PlanTarget, YearlyReport


class PlanTargetInline(ScopedTabularInline):
    model = PlanTarget
    read_only = True
    fields = ("program", "planned_classes", "planned_trainees", "notes")


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ScopedHistoryAdmin):
    """Plans are drafted, approved (by leaders only) and amended on the plan pages (/ke-hoach/)."""

    read_only = True
    inlines = [PlanTargetInline]
    list_display = ("__str__", "year", "status", "revision", "approved_by", "approved_at")
    list_filter = ("status", "year")
    list_select_related = ("centre", "approved_by")
    fields = (
        "centre",
        "year",
        "status",
        "revision",
        "amendment_reason",
        "number",
        "issued_on",
        "notes",
        "purpose_text",
        "participants_text",
        "schedule_text",
        "funding_text",
        "organisation_text",
        "approved_by",
        "approved_at",
    )


@admin.register(PlanTarget)
class PlanTargetAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("program", "plan_name", "planned_classes", "planned_trainees")
    list_filter = (("plan", ScopedRelatedFilter),)
    list_select_related = ("program", "plan", "plan__centre")
    search_fields = ("program__name", "program__code")
    fields = ("plan", "program", "planned_classes", "planned_trainees", "notes")

    @admin.display(description="Kế hoạch năm", ordering="plan__year")
    def plan_name(self, obj):
        return obj.plan


@admin.register(YearlyReport)
class YearlyReportAdmin(ScopedHistoryAdmin):
    """Read here, written on the report's own page: a sent report is frozen."""

    read_only = True

    list_display = ("__str__", "year", "status", "sent_by", "sent_at")
    list_filter = ("status", "year")
    list_select_related = ("centre", "sent_by")
    fields = (
        "centre",
        "year",
        "status",
        "number",
        "report_date",
        "data_until",
        "place",
        "recipients",
        "results_text",
        "strengths_text",
        "limitations_text",
        "causes_text",
        "lessons_text",
        "direction_text",
        "recommendations_text",
        "signer_title",
        "signer_name",
        "sent_by",
        "sent_at",
    )


@admin.register(AllCentresReport)
class AllCentresReportAdmin(ProvinceOnlyMixin, ScopedHistoryAdmin):
    """Read here, written on the report's own page (/bao-cao-nam/tong-hop/<năm>/)."""

    read_only = True
    list_display = ("__str__", "year", "issuer", "status", "sent_by", "sent_at")
    list_filter = ("status", "year")
    list_select_related = ("issuer", "sent_by")
    fields = (
        "issuer",
        "year",
        "status",
        "number",
        "report_date",
        "data_until",
        "general_text",
        "assessment_text",
        "sent_by",
        "sent_at",
    )
