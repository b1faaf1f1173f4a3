"""Filters of the trainee and unit lists (query keys as people bookmark them: ?q=, ?don_vi=…)."""

import django_filters
from django.db.models import Q

from hocvien import classes
from hocvien.forms import UnitChoiceField
from hocvien.models import Unit, UnitKind
from trungtam.filters import YES_NO, CentreFilter, ListFilterSet, search_box
from trungtam.listing import name_search
from trungtam.scoping import visible

UNIT_STATUSES = [
    ("hoat_dong", "Còn hoạt động"),
    ("sap_nhap", "Đã sáp nhập, ngừng hoạt động"),
]


class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


def _visible_units(request):
    return visible(request.user, Unit.objects.all()).order_by("search_key", "id")


class TraineeFilterSet(ListFilterSet):
    search = django_filters.CharFilter(
        label="Tìm kiếm",
        method="filter_search",
        widget=search_box("Họ tên (có dấu hoặc không) hoặc số CCCD"),
    )
    centre = CentreFilter()
    unit = UnitChoiceFilter(label="Đơn vị", queryset=_visible_units, empty_label="Tất cả đơn vị")
    party_member = django_filters.ChoiceFilter(
        label="Đảng viên", choices=YES_NO, empty_label="Tất cả", method="filter_party_member"
    )
    year = django_filters.TypedChoiceFilter(
        label="Có học lớp năm", coerce=int, empty_value=None, method="filter_year"
    )

    keys = {
        "search": "q",
        "centre": "trung_tam",
        "unit": "don_vi",
        "party_member": "dang_vien",
        "year": "nam",
    }

    def __init__(self, data, queryset, *, request):
        super().__init__(data, queryset, request=request)
        # The years offered are those in which someone of the list was in a class.
        years = classes.class_years(queryset)
        self.filters["year"].extra["choices"] = [("", "Mọi năm")] + [(y, str(y)) for y in years]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_party_member(self, queryset, name, value):
        return queryset.filter(is_party_member=value == "co")

    def filter_year(self, queryset, name, value):
        # Only who was in a class that year, without narrowing the rows' other figures to it.
        in_year = classes.in_class_year(value)
        return queryset.filter(pk__in=in_year.values("pk"))


class UnitFilterSet(ListFilterSet):
    search = django_filters.CharFilter(
        label="Tìm theo tên", method="filter_search", widget=search_box("Gõ có dấu hoặc không")
    )
    centre = CentreFilter()
    kind = django_filters.ChoiceFilter(
        label="Loại", choices=UnitKind.choices, empty_label="Tất cả loại"
    )
    served = django_filters.ChoiceFilter(
        label="Xã, phường trung tâm phụ trách",
        choices=YES_NO,
        empty_label="Tất cả",
        method="filter_served",
    )
    status = django_filters.ChoiceFilter(
        label="Tình trạng", choices=UNIT_STATUSES, empty_label="Tất cả", method="filter_status"
    )

    keys = {
        "search": "q",
        "centre": "trung_tam",
        "kind": "loai",
        "served": "phu_trach",
        "status": "tinh_trang",
    }

    def filter_search(self, queryset, name, value):
        return name_search(queryset, value)

    def filter_served(self, queryset, name, value):
        return queryset.filter(is_served_commune=value == "co")

    def filter_status(self, queryset, name, value):
        if value == "hoat_dong":
            return queryset.filter(active=True, merged_into__isnull=True)
        return queryset.filter(Q(active=False) | Q(merged_into__isnull=False))
