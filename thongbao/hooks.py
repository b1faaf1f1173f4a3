"""What the notices app tells the layers below it (DESIGN §3), registered by
`ThongbaoConfig.ready()`."""

from hocvien import units
from hocvien.models import Unit
from thongbao.models import Notification


def register() -> None:
    units.unit_merge_make_way.register(_unit_merge_make_way)


def _unit_merge_make_way(*, keep: Unit, remove: Unit) -> None:
    """A notice is given once per unit and key: the duplicate's copy of a notice the kept unit
    already has goes (with its mails); its other notices move to the kept unit."""
    kept_keys = Notification.objects.filter(unit=keep).exclude(key="").values("key")
    Notification.objects.filter(unit=remove, key__in=kept_keys).delete()
