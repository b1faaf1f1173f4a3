"""The needs survey: read here, written on its own pages (/khao-sat/)."""

from django.contrib import admin

from khaosat.models import Survey, SurveyAnswer, SurveyLine, SurveyUnit
from trungtam.admin_scoping import ScopedHistoryAdmin, ScopedModelAdmin


@admin.register(Survey)
class SurveyAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("year", "centre", "status", "deadline")
    list_filter = ("status", "year")
    list_select_related = ("centre",)


@admin.register(SurveyUnit)
class SurveyUnitAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("survey", "unit")
    list_select_related = ("survey", "survey__centre", "unit")


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("survey", "unit", "submitted_at")
    list_select_related = ("survey", "survey__centre", "unit")


@admin.register(SurveyLine)
class SurveyLineAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("answer", "program", "expected")
    list_select_related = ("answer", "answer__survey", "answer__unit", "program")
