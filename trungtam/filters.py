"""What every filtered list shares (DESIGN §10): a django-filter FilterSet whose filters have
English names in code while the query keys people bookmark stay Vietnamese (``?don_vi=3``), and
the filter bar above the list.

A list is filtered only when every value it was sent is valid: one wrong value (an unknown unit,
a year that is no year) shows the whole list with that field's message, never a 500 and never a
list filtered by half of what was asked.
"""

import django_filters
from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django import forms

from trungtam.forms import VietnameseKeys
from trungtam.scoping import centres_for

YES_NO = [("co", "Có"), ("khong", "Không")]


def search_box(placeholder: str) -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": placeholder, "type": "search"})


def filter_bar(*names) -> FormHelper:
    """A GET filter bar: fields side by side, then 'Lọc' and a link that clears the filters."""
    helper = FormHelper()
    helper.form_method = "get"
    helper.disable_csrf = True
    helper.form_class = "mb-3 d-print-none"
    helper.layout = Layout(
        Row(*[Column(name, css_class="col-12 col-sm-6 col-lg") for name in names]),
        FormActions(
            Submit("loc", "Lọc"),
            HTML('<a class="btn btn-link" href="?">Xóa bộ lọc</a>'),
        ),
    )
    return helper


class FilterForm(VietnameseKeys, forms.Form):
    """The form of a ListFilterSet: its fields are the filters' (plus any the list declares on a
    subclass), sent under the list's query keys and laid out as a filter bar in `bar` order."""

    bar: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self.layout()

    def layout(self) -> FormHelper:
        names = [name for name in self.bar if name in self.fields] or list(self.fields)
        return filter_bar(*names)


class CentreFilter(django_filters.ModelChoiceFilter):
    """The centre of a province-wide list (?trung_tam=); lists of one centre have none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Trung tâm")
        kwargs.setdefault("empty_label", "Tất cả trung tâm")
        super().__init__(queryset=lambda request: centres_for(request.user), **kwargs)


class ListFilterSet(django_filters.FilterSet):
    """A list's filters. `keys` maps a filter (or form field) name to its query key, `bar` orders
    the filter bar. A filter named `centre` is offered only to users who see every centre."""

    keys: dict[str, str] = {}
    bar: tuple[str, ...] = ()

    class Meta:
        form = FilterForm

    def __init__(self, data, queryset, *, request):
        # An empty query is the list as first opened, not a form sent with nothing in it.
        super().__init__(data or None, queryset, request=request)
        if "centre" in self.filters and not request.user.sees_all_centres:
            del self.filters["centre"]

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.keys = self.keys
        form_class.bar = self.bar
        return form_class

    def filter_queryset(self, queryset):
        # Only the filters: the form may carry fields the view reads itself (a list's year).
        for name, list_filter in self.filters.items():
            queryset = list_filter.filter(queryset, self.form.cleaned_data.get(name))
        return queryset

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            queryset = self.queryset.all()
            self._qs = self.filter_queryset(queryset) if self.is_valid() else queryset
        return self._qs

    @property
    def filtered(self) -> bool:
        """Whether a filter narrows the list (the empty state then says "nothing matches")."""
        if not self.is_valid():
            return False
        return any(self.form.cleaned_data.get(name) for name in self.filters)
