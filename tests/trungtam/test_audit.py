"""The audit trail (DESIGN §7, §8b): every model holding personal data or results keeps a history;
admins read it in the admin's "Lịch sử" pages, scoped to their centre; nothing replays or edits it.

A model added later fails `test_every_model_keeps_a_history_or_says_why_not` until it gets a
`history = HistoricalRecords()` or a line in NO_HISTORY saying why it does not need one.
"""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from simple_history.models import HistoricalChanges

from giangvien.models import Lecturer
from hocvien.models import Trainee, Unit
from lophoc.models import (
    Assessment,
    Attendance,
    Certificate,
    Course,
    Enrolment,
    Program,
    Score,
    Session,
)
from tests import builders
from trungtam.admin_scoping import ScopedHistoryAdmin
from trungtam.models import Centre, Leader, User
from trungtam.reports.models import AnnualPlan, PlanTarget, YearlyReport

# Personal data (people, their records) and results (attendance, scores, results, certificates),
# and what they are read against (classes, plans, reports).
MUST_KEEP_HISTORY = [
    Trainee,
    Unit,
    Enrolment,
    Attendance,
    Score,
    Assessment,
    Certificate,
    Course,
    Session,
    Program,
    Lecturer,
    User,
    Centre,
    Leader,
    AnnualPlan,
    PlanTarget,
    YearlyReport,
]

# Models without a history, and why that is right. Keep it short and honest.
NO_HISTORY = {
    "trungtam.Holiday": "the centre's days off: neither personal data nor results",
    "trungtam.ExportLog": "itself the log of exports and deletions; written once, never edited",
    "lophoc.ProgramTopic": "catalogue defaults, copied into a class when it is created",
    "lophoc.ProgramAssessment": "catalogue defaults, copied into a class when it is created",
    "lophoc.Topic": "a class's syllabus: no personal data, no results",
    "lophoc.CourseStatusChange": "itself the log of status changes (who, when, why); never edited",
    "lophoc.VerificationFailure": "a throttle of failed public look-ups, kept briefly",
    "danhgia.EvaluationAnswer": "an anonymous answer: a history could link it to a code or a time",
    "danhgia.EvaluationMark": "a mark of an anonymous answer, written once with it, never edited",
    "danhgia.EvaluationTally": "sums of anonymous marks, derived from them with each answer",
    "danhgia.EvaluationCode": "a single-use code: a history of its use could link it to an answer",
    "lophoc.CertificateCounter": "a sequence counter; the certificates it numbers keep history",
    "lophoc.Venue": "the centre's list of place names; a class keeps the venue text it was given",
    "trungtam.PendingUpload": "an upload waiting two hours at most for confirmation; what it "
    "changes is recorded when it is confirmed",
    "chieusinh.CallQuota": "a number per unit on a call whose history is kept; the summons "
    "letter prints it",
    "chieusinh.CallAnswer": "a unit's answer: it records who sent and who accepted it, and when",
    "chieusinh.CallAnswerLine": "a unit's draft list of names, no record of the centre until staff "
    "accept it; the enrolments made then keep their history",
    "khaosat.SurveyUnit": "which units a survey asks; the survey keeps its history",
    "khaosat.SurveyAnswer": "expected numbers per program, no personal data; records who sent it",
    "khaosat.SurveyLine": "one expected number of an answer, no personal data",
    "thongbao.Notification": "a notice to a unit, written once by the app; only the time it was "
    "read changes",
    "trungtam.SignedDocument": "signed bytes kept exactly as signed, never edited; who kept them "
    "and when are on the row",
    "thongbao.OutgoingMail": "itself the record of each mail sent (to whom, what, when, errors)",
    "tailieu.MaterialVersion": "an uploaded file, never changed once stored; who and when are on "
    "the row, and the material keeps its history",
    "tailieu.ScheduleLetter": "itself the record of each schedule letter mailed (to whom, when, "
    "errors)",
}


def project_app_labels() -> set[str]:
    """Apps whose code lives in this repository (not in the virtualenv)."""
    base = Path(settings.BASE_DIR).resolve()
    labels = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts:
            labels.add(config.label)
    return labels


def project_models():
    labels = project_app_labels()
    for model in apps.get_models():
        if model._meta.app_label in labels and not issubclass(model, HistoricalChanges):
            yield model


@pytest.mark.parametrize("model", MUST_KEEP_HISTORY, ids=lambda m: m._meta.label)
def test_models_with_personal_data_or_results_keep_a_history(model):
    assert hasattr(model, "history"), f"{model._meta.label} keeps no history"


def test_every_model_keeps_a_history_or_says_why_not():
    missing = [
        model._meta.label
        for model in project_models()
        if not hasattr(model, "history") and model._meta.label not in NO_HISTORY
    ]
    assert not missing, (
        "These models keep no history: add `history = HistoricalRecords()` (and a migration) "
        f"if they hold personal data or results, else list them in NO_HISTORY: {missing}"
    )


def test_the_list_of_exceptions_is_current():
    labels = {model._meta.label: model for model in project_models()}
    stale = [label for label in NO_HISTORY if label not in labels]
    tracked = [
        label for label in NO_HISTORY if label in labels and hasattr(labels[label], "history")
    ]
    assert not stale and not tracked


def test_no_history_row_has_an_admin_page_of_its_own():
    registered = [m._meta.label for m in admin.site._registry if issubclass(m, HistoricalChanges)]
    assert registered == []


def test_every_history_is_shown_through_the_scoped_read_only_admin():
    wrong = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if hasattr(model, "history") and not isinstance(model_admin, ScopedHistoryAdmin)
    ]
    assert wrong == []


# --- the admin's history pages -------------------------------------------------------------------


def history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def version_url(obj, record):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.pk]
    )


@pytest.mark.django_db
def test_an_admin_reads_who_changed_a_score_and_when(client, admin_user, staff, course):
    score = builders.make_score(
        builders.make_enrolment(course), builders.make_assessment(course), "6.5"
    )
    score._history_user = staff
    score.score = Decimal("7.25")
    score.save()
    client.force_login(admin_user)
    response = client.get(history_url(score))
    assert response.status_code == 200
    assert str(staff) in response.text
    assert "Revert" not in response.text and "Khôi phục" not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["official", "province_official", "lecturer"])
def test_read_only_roles_have_no_history_pages(client, request, centre, role):
    trainee = builders.make_trainee(centre)
    client.force_login(request.getfixturevalue(role))
    response = client.get(history_url(trainee))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_the_history_of_another_centre_does_not_exist(client, admin_user, other_centre):
    trainee = builders.make_trainee(other_centre)
    record = trainee.history.first()
    client.force_login(admin_user)
    assert client.get(history_url(trainee)).status_code == 404
    assert client.get(version_url(trainee, record)).status_code == 404
    assert client.post(version_url(trainee, record), {"full_name": "X"}).status_code == 404


@pytest.mark.django_db
def test_a_version_is_shown_without_a_way_to_restore_it(client, admin_user, centre):
    trainee = builders.make_trainee(centre, full_name="Lê Văn Cũ")
    first = trainee.history.first()
    trainee.full_name = "Lê Văn Mới"
    trainee.save()
    client.force_login(admin_user)
    response = client.get(version_url(trainee, first))
    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    assert response.context["revert_disabled"] is True


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--scale", "small", verbosity=0)


def _snapshot(model, obj):
    fresh = model._base_manager.get(pk=obj.pk)
    return model_to_dict(fresh, fields=[f.name for f in model._meta.concrete_fields])


@pytest.mark.django_db
def test_no_admin_page_replays_or_edits_a_history_row(client, demo, superuser):
    """Every model with a history, on demo data: a POST to one of its versions is refused and
    changes neither the object nor its history."""
    # The demo writes people and scores in bulk, without history rows: add one of each.
    course = builders.make_course(Centre.objects.order_by("pk").first())
    builders.make_score(builders.make_enrolment(course), builders.make_assessment(course))
    client.force_login(superuser)
    tried = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedHistoryAdmin):
            continue
        history = model.history.model
        record = (
            history.objects.filter(id__in=model._base_manager.values("pk"))
            .order_by("history_id")
            .first()
        )
        if record is None:
            continue
        obj = model._base_manager.get(pk=record.instance.pk)
        before, rows = _snapshot(model, obj), history.objects.count()
        payload = {k: "" if v is None else v for k, v in model_to_dict(record.instance).items()}
        payload["_save"] = "Revert"
        response = client.post(version_url(obj, record), payload)
        assert response.status_code == 403, model._meta.label
        assert _snapshot(model, obj) == before, model._meta.label
        assert history.objects.count() == rows, model._meta.label
        tried.append(model._meta.label)
    assert {"hocvien.Trainee", "lophoc.Score", "lophoc.Enrolment", "lophoc.Certificate"} <= set(
        tried
    )


# --- the code behind the pages ------------------------------------------------------------------

WRITES = {"update", "delete", "create", "bulk_create", "bulk_update", "save", "get_or_create"}
# Code that writes history rows on purpose, and why.
HISTORY_WRITERS = {
    "hocvien/personal_data.py": "deleting a person removes their history rows (DESIGN §8b)",
    "trungtam/devtools/demo/seed.py": "the demo data set dates its rows in the past",
}


def _history_writes(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            receiver = ast.unparse(node.func.value)
            if ".history" in receiver or "Historical" in receiver or "history.model" in receiver:
                lines.append(node.lineno)
    return lines


def test_only_known_code_writes_history_rows():
    """No view, form or service edits a history row; the few that write them are listed."""
    base = Path(settings.BASE_DIR)
    found = {}
    for label in sorted(project_app_labels()):
        package = Path(apps.get_app_config(label).path)
        for path in package.rglob("*.py"):
            relative = path.relative_to(base).as_posix()
            if "/migrations/" in relative or relative in HISTORY_WRITERS:
                continue
            lines = _history_writes(path)
            if lines:
                found[relative] = lines
    assert found == {}
