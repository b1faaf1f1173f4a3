"""The permission matrix's rows for the dugio app (see tests/matrix_parts/__init__.py).

The world's observation is a draft (not finalised) of the lecturer's session, recorded by staff:
staff read and change it, the admin (a leader) reads it, the lecturer observed reads it, the
officials get 403 (they read the year's figures only), a unit's liaison never finds it.
"""

from decimal import Decimal

from dugio.models import Observation
from dugio.observations import MarkInput, observation_create
from tests.permission_matrix import MANAGE_PAGE, POST_ONLY, Row

#            anonymous lecturer official other_staff staff admin province


def _observation(w):
    return {"pk": w.extra["observation"].pk}


def _session(w):
    return {"session_pk": w.session.pk}


READ = "login 200 403 404 200 200 403"

ROWS: dict = {
    # Officials see the year's figures per lecturer instead of the records.
    "dugio:observation_list": Row("login 200 200 200 200 200 200"),
    "dugio:criteria_edit": Row(MANAGE_PAGE),
    # The lecturer observed cannot observe themself; staff already recorded this session (302 to
    # their record); the admin records it.
    "dugio:observation_record": Row("login 403 403 404 302 200 403", _session, unit="404"),
    "dugio:observation_detail": Row(READ, _observation, unit="404"),
    "dugio:observation_pdf": Row(READ, _observation, unit="404"),
    # Only the observer who recorded it changes it, until it is finalised.
    "dugio:observation_edit": Row("login 403 403 404 200 403 403", _observation, unit="404"),
    "dugio:observation_finalise": Row(
        POST_ONLY,
        _observation,
        post="login 403 403 404 - 403 403",
        unit="405",
        unit_post="404",
    ),
}


def build(world) -> dict:
    observation = observation_create(
        session=world.session,
        user=world.users["staff"],
        marks=[
            MarkInput(order=1, text="Nội dung", max_mark=Decimal("60"), mark=Decimal("50")),
            MarkInput(order=2, text="Phương pháp", max_mark=Decimal("40"), mark=Decimal("30")),
        ],
        strengths="Nội dung chính xác.",
        improvements="Cần liên hệ thực tiễn nhiều hơn.",
    )
    return {"observation": observation}


def demo_extra(world) -> dict:
    """The demo's observations are finalised; as in the matrix's world, staff hold a draft of the
    world's session (taught by the demo lecturer), which they alone may still change."""
    observation = Observation.objects.filter(
        session=world.session, recorded_by=world.users["staff"], finalised_at__isnull=True
    ).first()
    return {"observation": observation or build(world)["observation"]}
