"""Filters of the lecturer list (query keys as people bookmark them: ?q=, ?loai=, ?nam=…)."""

import django_filters
from django import forms

from giangvien.models import LecturerKind
from trungtam.filters import CentreFilter, FilterForm, ListFilterSet, search_box
from trungtam.listing import MAX_YEAR, MIN_YEAR, name_search

LECTURER_STATUSES = [("dang_day", "Đang giảng dạy"), ("ngung", "Ngừng giảng dạy")]


class LecturerFilterForm(FilterForm):
    # The year of the figures shown (sessions, periods), not a filter: the view reads it.
    year = forms.IntegerField(
        label="Năm",
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": "Hãy nhập năm gồm 4 chữ số, ví dụ 2026."},
    )


class LecturerFilterSet(ListFilterSet):
    search = django_filters.CharFilter(
        label="Tìm theo tên", method="filter_search", widget=search_box("Gõ có dấu hoặc không")
    )
    centre = CentreFilter()
    kind = django_filters.ChoiceFilter(
        label="Loại giảng viên", choices=LecturerKind.choices, empty_label="Tất cả"
    )
    status = django_filters.ChoiceFilter(
        label="Tình trạng",
        choices=LECTURER_STATUSES,
        empty_label="Tất cả",
        method="filter_status",
    )

    keys = {
        "search": "q",
        "centre": "trung_tam",
        "kind": "loai",
        "status": "tinh_trang",
        "year": "nam",
    }
    bar = ("search", "centre", "kind", "status", "year")

    class Meta:
        form = LecturerFilterForm

    def filter_search(self, queryset, name, value):
        return name_search(queryset, value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(active=value == "dang_day")
