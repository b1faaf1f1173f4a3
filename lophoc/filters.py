"""Filters of the class lists (query keys as people bookmark them: ?q=, ?nam=, ?trang_thai=…)."""

import django_filters
from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django import forms
from django.db.models import F, Q
from django.utils import timezone

from lophoc.course_forms import ProgramChoiceField
from lophoc.grading import grading_late_filter
from lophoc.models import CourseStatus, Program, ProgramSystem, Venue
from trungtam.filters import CentreFilter, FilterForm, ListFilterSet, search_box
from trungtam.listing import parse_year
from trungtam.scoping import centres_for, visible

ALL_YEARS = "tat_ca"


class ProgramChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ProgramChoiceField


def _visible_programs(request):
    return (
        visible(request.user, Program.objects.all()).select_related("centre").order_by("code", "id")
    )


class CourseFilterForm(FilterForm):
    # The year the list shows, not a filter: it applies even when another value is wrong.
    year = forms.ChoiceField(label="Năm khai giảng", required=False)


class CourseFilterSet(ListFilterSet):
    """The class list: one year (the current one when first opened) and the filters within it."""

    search = django_filters.CharFilter(
        label="Tìm kiếm", method="filter_search", widget=search_box("Mã lớp hoặc tên lớp")
    )
    centre = CentreFilter()
    program = ProgramChoiceFilter(
        label="Chương trình", queryset=_visible_programs, empty_label="Tất cả chương trình"
    )
    system = django_filters.ChoiceFilter(
        label="Hệ",
        field_name="program__system",
        choices=ProgramSystem.choices,
        empty_label="Tất cả hệ",
    )
    status = django_filters.ChoiceFilter(
        label="Trạng thái", choices=CourseStatus.choices, empty_label="Tất cả trạng thái"
    )
    venue = django_filters.ChoiceFilter(label="Địa điểm", empty_label="Mọi địa điểm")

    keys = {
        "search": "q",
        "year": "nam",
        "centre": "trung_tam",
        "program": "chuong_trinh",
        "system": "he",
        "status": "trang_thai",
        "venue": "dia_diem",
    }
    bar = ("search", "centre", "year", "program", "system", "status", "venue")

    class Meta:
        form = CourseFilterForm

    def __init__(self, data, queryset, *, request):
        self.default_year = timezone.localdate().year
        self.year = self._chosen_year(data)
        years = {day.year for day in queryset.dates("start_date", "year")} | {self.default_year}
        if self.year is not None:
            years.add(self.year)
            queryset = queryset.in_year(self.year)
        self.years = sorted(years, reverse=True)
        super().__init__(data, queryset, request=request)
        venues = (
            visible(request.user, Venue.objects.all())
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        )
        self.filters["venue"].extra["choices"] = [(venue, venue) for venue in venues]

    def _chosen_year(self, data) -> int | None:
        """The chosen year; the current one when the list is first opened; None for every year."""
        value = data.get(self.keys["year"]) if data else None
        if not value:
            return self.default_year
        if value == ALL_YEARS:
            return None
        year = parse_year(value)
        return self.default_year if year is None else year

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.fields["year"].choices = [(str(y), str(y)) for y in self.years] + [
                (ALL_YEARS, "Tất cả các năm")
            ]
            form.fields["year"].initial = str(self.default_year)
        return self._form

    def filter_search(self, queryset, name, value):
        # Codes and names as typed; a name typed without its diacritics is not found (the class
        # has no stored search key).
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


GRADING_STATES = [
    ("chua-nop", "Chưa nộp đủ"),
    ("da-nop", "Đã nộp đủ"),
    ("tre-han", "Trễ hạn"),
]


class GradingOverviewFilterForm(FilterForm):
    def layout(self) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "get"
        helper.disable_csrf = True
        helper.form_class = "mb-3 d-print-none"
        helper.layout = Layout(
            Row(
                Column("state", css_class="col-12 col-sm-6 col-lg-4"),
                Column(
                    FormActions(
                        Submit("loc", "Lọc", css_class="btn-primary"),
                        HTML('<a class="btn btn-link" href="?">Xóa bộ lọc</a>'),
                    ),
                    css_class="col-12 col-sm-6 col-lg-4 align-self-end",
                ),
            )
        )
        return helper


class GradingOverviewFilterSet(ListFilterSet):
    """The staff's grading overview: open, assessed classes by where their grades stand."""

    state = django_filters.ChoiceFilter(
        label="Tình trạng nộp điểm",
        choices=GRADING_STATES,
        empty_label="Tất cả",
        method="filter_state",
    )

    keys = {"state": "trang_thai"}

    class Meta:
        form = GradingOverviewFilterForm

    def filter_state(self, queryset, name, value):
        complete = Q(assessment_count__gt=0, submitted_count__gte=F("assessment_count"))
        if value == "chua-nop":
            return queryset.exclude(complete)
        if value == "da-nop":
            return queryset.filter(complete)
        late = grading_late_filter(centres_for(self.request.user), timezone.localdate())
        return queryset.exclude(complete).filter(late)
