"""Admin pages of this app: every model has one, scoped (tests/trungtam/test_admin.py).

Read only: questions are edited on /danh-gia/mau-phieu/, answers only come from the forms."""

from django.contrib import admin

from danhgia.models import (
    EvaluationAnswer,
    EvaluationCode,
    EvaluationMark,
    EvaluationTally,
    Question,
)
from trungtam.admin_scoping import ScopedHistoryAdmin, ScopedModelAdmin


@admin.register(Question)
class QuestionAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("text", "group", "order", "active", "centre")
    list_filter = ("group", "active")
    list_select_related = ("centre",)


@admin.register(EvaluationCode)
class EvaluationCodeAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("code", "course", "used")
    list_select_related = ("course", "course__centre")


@admin.register(EvaluationAnswer)
class EvaluationAnswerAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("course", "answered_on", "on_paper")
    list_select_related = ("course", "course__centre")


@admin.register(EvaluationMark)
class EvaluationMarkAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("answer", "question_text", "lecturer", "value")
    list_select_related = ("answer", "answer__course", "lecturer")


@admin.register(EvaluationTally)
class EvaluationTallyAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("course", "group", "lecturer", "answers", "total", "marks")
    list_select_related = ("course", "course__centre", "lecturer")
