"""The admin side of the one scoping mechanism (trungtam.scoping, DESIGN §7).

Every ModelAdmin and inline of the project mixes `ScopedAdminMixin` in, so that in the admin:
- lists, change pages, popups and autocompletes only find objects `visible()` to the user
  (an object of another centre does not exist there);
- rights come from the role (`has_right`), never from Django model permissions;
- choices of a foreign key only offer visible objects, of the same centre as the edited object;
- a new record of a user who belongs to one centre belongs to that centre;
- nothing of a closed class changes (reopening goes through the status machine, with a reason);
- search is diacritic-insensitive on the stored `search_key` fields.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets, lookup_spawns_duplicates
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q
from django.forms import ModelChoiceField
from django.forms.models import _get_foreign_key
from django.http import Http404
from django.utils.text import smart_split, unescape_string_literal
from simple_history.admin import SimpleHistoryAdmin

from trungtam.hooks import Hook
from trungtam.models import Centre
from trungtam.scoping import Right, has_right, visible
from trungtam.text import fold

# Vietnamese labels for model fields that have no verbose name of their own (Django would show
# "centre", "course"…). Used for form labels, read-only fields and filter titles.
FIELD_LABELS = {
    "centre": "Trung tâm",
    "program": "Chương trình",
    "course": "Lớp học",
    "plan": "Kế hoạch năm",
    "session": "Buổi học",
    "enrolment": "Ghi danh",
    "assessment": "Bài kiểm tra",
    "trainee": "Học viên",
    "user": "Người dùng",
    "issued_by": "Người cấp",
    "voided_by": "Người thu hồi",
    "updated_by": "Người nhập điểm",
    "year": "Năm",
    "last_sequence": "Số thứ tự đã cấp cuối cùng",
    "version": "Phiên bản",
    "search_key": "Khóa tìm kiếm",
    "sort_key": "Khóa sắp xếp",
    "calendar_token": "Mã lịch",
}

CLOSED_COURSE_MESSAGE = (
    "Lớp đã kết thúc nên dữ liệu của lớp chỉ được xem. Muốn sửa, hãy mở lại việc chấm điểm "
    "(ghi rõ lý do) trên trang lớp học."
)


def field_label(field) -> str:
    """The field's verbose name, or a Vietnamese one where the model left Django's default."""
    verbose_name = str(getattr(field, "verbose_name", field.name))
    if verbose_name == field.name.replace("_", " ") and field.name in FIELD_LABELS:
        return FIELD_LABELS[field.name]
    return verbose_name


def form_labels(model) -> dict[str, str]:
    """`labels=` for the model's forms: only the fields whose own verbose name is Django's default."""
    labels = {}
    for field in model._meta.get_fields():
        if getattr(field, "concrete", False) and field_label(field) != str(field.verbose_name):
            labels[field.name] = field_label(field)
    return labels


def _walk(obj, lookup: str):
    """Follow a `centre_lookup`/`course_lookup` path ("course__centre") through attributes."""
    if lookup == "pk":
        return obj
    for part in lookup.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def centre_id_of(obj) -> int | None:
    """The id of the centre an object belongs to, following the model's `centre_lookup`."""
    lookup = getattr(type(obj), "centre_lookup", None)
    if obj is None or lookup is None:
        return None
    if lookup == "pk":
        return obj.pk
    head, _, last = lookup.rpartition("__")
    owner = _walk(obj, head) if head else obj
    return getattr(owner, f"{last}_id", None) if owner is not None else None


def course_of(obj):
    """The class an object belongs to (through `course_lookup`), or None."""
    lookup = getattr(type(obj), "course_lookup", None)
    if obj is None or lookup is None or obj.pk is None:
        return None
    return _walk(obj, lookup)


# Whether a class is closed (its records only read): the classes app, above this layer, answers.
course_is_closed = Hook("is this class closed")


def is_closed_course(course) -> bool:
    return course is not None and course_is_closed(course)


def course_in_cleaned_data(model, cleaned_data: dict, instance):
    """The class a form is about to attach its object to (a chosen course, session, enrolment…)."""
    lookup = getattr(model, "course_lookup", None)
    if lookup is None or lookup == "pk":
        return None
    head, _, rest = lookup.partition("__")
    if head in cleaned_data:
        target = cleaned_data[head]
    elif getattr(instance, f"{head}_id", None) is not None:
        target = getattr(instance, head)
    else:
        return None
    return _walk(target, rest) if rest and target is not None else target


def other_centre_errors(model, cleaned_data: dict) -> dict[str, str]:
    """Chosen related objects that belong to another centre than the object being saved.

    The object's centre is read from the first step of its `centre_lookup` (its centre, its
    class, its plan… — in an inline, the parent). Only users who see every centre can get here.
    """
    lookup = getattr(model, "centre_lookup", None)
    if lookup in (None, "pk"):
        return {}
    head = lookup.split("__")[0]
    anchor = cleaned_data.get(head)
    if anchor is None:
        return {}
    own = anchor.pk if isinstance(anchor, Centre) else centre_id_of(anchor)
    errors = {}
    for name, value in cleaned_data.items():
        if name == head or not isinstance(value, Model) or isinstance(value, Centre):
            continue
        other = centre_id_of(value)
        if own is not None and other is not None and other != own:
            errors[name] = f"«{value}» thuộc trung tâm khác; hãy chọn trong cùng trung tâm."
    return errors


def scoped_form(form, model, *, refuse_closed_course: bool):
    """The admin's form for `model` with the checks every admin form needs."""

    class ScopedForm(form):
        def clean(self):
            cleaned_data = super().clean()
            if refuse_closed_course:
                course = course_in_cleaned_data(model, cleaned_data, self.instance)
                if is_closed_course(course):
                    raise ValidationError(CLOSED_COURSE_MESSAGE, code="course_closed")
            return cleaned_data

        def _post_clean(self):
            super()._post_clean()
            # After the model's own clean(), so a field it already refused gets one message.
            for name, message in other_centre_errors(model, self.cleaned_data).items():
                if name not in self.errors:
                    self.add_error(name, message)

    ScopedForm.__name__ = form.__name__
    return ScopedForm


class ScopedChangeList(ChangeList):
    """Django's list page, answering a hostile date drill-down like any other bad filter."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            # ?start_date__year=<20 digits>: Django turns a ValueError into its "?e=1" redirect,
            # but lets the OverflowError of a year too large for a date through (a 500).
            raise IncorrectLookupParameters(error) from error


class ScopedRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """A foreign-key filter offering only related objects found in the user's visible rows.

    Django's plain RelatedFieldListFilter would list every centre's units, programs, lecturers.
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = field_label(field)


class ScopedAdminMixin:
    """Scoping, rights and form choices for every ModelAdmin and inline of the project."""

    # The rights (trungtam.scoping.Right) needed to open the pages and to add/change/delete.
    view_right = Right.VIEW
    manage_right = Right.MANAGE
    # View-only for everyone (logs, counters, frozen records).
    read_only = False
    # On an existing object the centre cannot be changed (its related records stay in one centre).
    centre_fixed_on_change = True
    # Facet counts cost a query per filter choice, and their toggle is not translated.
    show_facets = admin.ShowFacets.NEVER

    # --- what the user sees -------------------------------------------------------------

    def get_queryset(self, request):
        return visible(request.user, super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return ScopedChangeList

    def get_search_results(self, request, queryset, search_term):
        """Every word must match one search field; `search_key` fields get the folded word.

        "nguyen van an", "Nguyễn Văn An" and "NGUYEN VAN AN" all find "Nguyễn Văn An".
        """
        search_fields = self.get_search_fields(request)
        if not search_fields or not search_term.strip():
            return queryset, False
        lookups = []
        for name in search_fields:
            if name.startswith("="):
                lookups.append((name[1:], "iexact", False))
            elif name.startswith("^"):
                lookups.append((name[1:], "istartswith", False))
            elif name.split("__")[-1] == "search_key":
                lookups.append((name, "contains", True))
            else:
                lookups.append((name, "icontains", False))
        condition = Q()
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            word_condition = Q()
            for path, lookup, folded in lookups:
                value = fold(bit) if folded else bit
                if value:
                    word_condition |= Q(**{f"{path}__{lookup}": value})
            condition &= word_condition
        may_have_duplicates = any(lookup_spawns_duplicates(self.opts, path) for path, *_ in lookups)
        return queryset.filter(condition), may_have_duplicates

    def _centre_path(self) -> str | None:
        lookup = getattr(self.model, "centre_lookup", None)
        return None if lookup in (None, "pk") else lookup

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if request.user.sees_all_centres and self._centre_path() and "centre" not in columns:
            columns.append("scoped_centre")
        return columns

    def get_list_select_related(self, request):
        related = super().get_list_select_related(request)
        if request.user.sees_all_centres and self._centre_path() and related is not True:
            related = [*(related or []), self._centre_path()]
        return related

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        path = self._centre_path()
        if request.user.sees_all_centres and path:
            filters.append((path, ScopedRelatedFilter))
        return filters

    @admin.display(description="Trung tâm")
    def scoped_centre(self, obj):
        return _walk(obj, self._centre_path()) or "—"

    # --- rights ---------------------------------------------------------------------------

    def _may_open(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and has_right(user, self.view_right)

    def _may_manage(self, request, obj=None) -> bool:
        if self.read_only or not self._may_open(request):
            return False
        if not has_right(request.user, self.manage_right):
            return False
        return not (obj is not None and self.is_locked(obj))

    def is_locked(self, obj) -> bool:
        """Records of a closed class are not edited in the admin (DESIGN §5)."""
        return is_closed_course(course_of(obj))

    def has_module_permission(self, request):
        return self._may_open(request)

    def has_view_permission(self, request, obj=None):
        return self._may_open(request)

    def has_add_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    # --- forms ----------------------------------------------------------------------------

    def related_queryset(self, request, db_field, queryset, context_obj):
        """Hook: narrow the choices of `db_field` further (context_obj: edited object or parent)."""
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if "queryset" not in kwargs and getattr(related, "centre_lookup", None):
            queryset = self.get_field_queryset(None, db_field, request)
            if queryset is None:
                queryset = related._default_manager.all()
            queryset = visible(request.user, queryset)
            context_obj = getattr(request, "_scoped_context_obj", None)
            centre_id = centre_id_of(context_obj) if context_obj is not None else None
            if centre_id is not None:
                queryset = queryset.filter(**{related.centre_lookup: centre_id})
            kwargs["queryset"] = self.related_queryset(request, db_field, queryset, context_obj)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.related_model
        if "queryset" not in kwargs and getattr(related, "centre_lookup", None):
            queryset = self.get_field_queryset(None, db_field, request)
            if queryset is None:
                queryset = related._default_manager.all()
            kwargs["queryset"] = visible(request.user, queryset)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _with_context(self, request, obj, build):
        """Build a form class with `obj` (the edited object, or an inline's parent) in view."""
        previous = getattr(request, "_scoped_context_obj", None)
        request._scoped_context_obj = obj if obj is not None and obj.pk is not None else None
        try:
            return build()
        finally:
            request._scoped_context_obj = previous


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A ModelAdmin of the project: scoped, with the centre of new records set by the user's."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("labels", form_labels(self.model))

        def build():
            form = super(ScopedModelAdmin, self).get_form(request, obj, change=change, **kwargs)
            # Subclassing a ModelForm builds its fields again (through formfield_for_dbfield),
            # so this happens with the object still in view, before the centre field is fixed.
            return scoped_form(form, self.model, refuse_closed_course=True)

        form = self._with_context(request, obj, build)
        self._fix_centre_field(request, form, obj)
        return form

    def _fix_centre_field(self, request, form, obj):
        field = form.base_fields.get("centre")
        if not isinstance(field, ModelChoiceField) or field.queryset.model is not Centre:
            return
        user = request.user
        if obj is not None and obj.pk is not None:
            if not self.centre_fixed_on_change and user.sees_all_centres:
                return
        elif user.sees_all_centres:
            return  # a province-wide user chooses the centre of what they create
        else:
            field.initial = user.centre_id
            field.empty_label = None
        # Disabled (not read-only) so the centre still takes part in validation,
        # e.g. the uniqueness of a class code within its centre.
        field.disabled = True
        widget = field.widget
        for flag in ("can_add_related", "can_change_related", "can_delete_related"):
            if hasattr(widget, flag):
                setattr(widget, flag, False)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.is_locked(obj):
            messages.info(request, CLOSED_COURSE_MESSAGE)
        return super().render_change_form(request, context, add, change, form_url, obj)


class ScopedHistoryAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    """For models with `history`: the history pages are scoped too, and never revert anything.

    simple_history would show the history of an object outside the user's scope (it falls back to
    the historical rows), and a POST to a version page reverts the object without checking the
    change right — bypassing read-only fields such as a class's status. History here is an audit
    trail: it is read, not replayed.
    """

    def _get_in_scope_or_404(self, request, object_id):
        try:
            return self.get_queryset(request).get(pk=object_id)
        except (self.model.DoesNotExist, ValueError, ValidationError):
            raise Http404("Không tìm thấy.") from None

    def history_view(self, request, object_id, extra_context=None):
        self._get_in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._get_in_scope_or_404(request, object_id)
        if request.method == "POST":
            raise PermissionDenied("Không khôi phục dữ liệu từ lịch sử trong trang quản trị.")
        # A recorded version is read: every field of the page is shown read-only. simple_history
        # builds its form as for a new object, which Django refuses (FieldError, a 500) when the
        # page lists a non-editable field such as a certificate's created_at.
        request._scoped_version_fields = [
            *flatten_fieldsets(self.get_fieldsets(request, obj)),
            *self.get_readonly_fields(request, obj),
        ]
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        version_fields = getattr(request, "_scoped_version_fields", None)
        if version_fields is not None:
            return version_fields
        return super().get_readonly_fields(request, obj)

    def revert_disabled(self, request, obj=None):
        return True


class ScopedInlineMixin(ScopedAdminMixin):
    """An inline of the project: scoped; choices of the same centre as the parent, loaded once."""

    def get_queryset(self, request):
        # Each row prints its object, whose __str__ often names the parent (a class's code).
        fk = _get_foreign_key(self.parent_model, self.model, fk_name=self.fk_name)
        return super().get_queryset(request).select_related(fk.name)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("labels", form_labels(self.model))
        kwargs.setdefault("form", scoped_form(self.form, self.model, refuse_closed_course=False))
        return self._with_context(
            request, obj, lambda: super(ScopedInlineMixin, self).get_formset(request, obj, **kwargs)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if (
            isinstance(field, ModelChoiceField)
            and db_field.related_model is not self.parent_model
            and db_field.name not in self.raw_id_fields
            and db_field.name not in self.autocomplete_fields
        ):
            # Every row of an inline deep-copies its fields: with the choices evaluated here
            # as plain (pk, label) pairs a class of 60 sessions costs one query, not 60.
            field.choices = [
                (getattr(value, "value", value), label) for value, label in field.choices
            ]
        return field


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    extra = 0
