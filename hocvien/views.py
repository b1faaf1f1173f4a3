"""Trainee and unit registry for the centre's staff (DESIGN §8b, §10).

Personal data: only users with the right to manage (staff, admin) open these pages; officials and
lecturers get 403 whatever the record, and other centres' records do not exist (404). Who sees
which field, the full export and the rules of deletion: hocvien.personal_data.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hocvien import classes, personal_data, trainees, units
from hocvien.accounts import unit_account_create as account_create
from hocvien.accounts import unit_account_set_active
from hocvien.filters import TraineeFilterSet, UnitFilterSet
from hocvien.forms import (
    TraineeForm,
    TraineeSearchForm,
    UnitAccountForm,
    UnitForm,
    UnitMergeForm,
)
from hocvien.models import Trainee, Unit
from trungtam.documents.downloads import client_address, personal_data_download
from trungtam.listing import ordering, paginate, parse_id
from trungtam.scoping import Right, default_centre, get_visible_or_404, require, visible

# History rows shown on a trainee's page; the admin's history page has them all.
HISTORY_SHOWN = 10

TRAINEE_SORTS = {
    "ten": ["sort_key", "id"],
    "ngay_sinh": ["date_of_birth", "sort_key", "id"],
    "so_lop": ["class_count", "sort_key", "id"],
}
UNIT_SORTS = {
    "ten": ["search_key", "id"],
    "hoc_vien": ["trainee_count", "search_key", "id"],
    "luot": ["enrolment_count", "search_key", "id"],
}


def _registry(request, queryset):
    """The part of `queryset` this user may manage: 403 without the right, whatever the record."""
    require(request.user, Right.MANAGE)
    return visible(request.user, queryset)


def _managed_or_404(request, queryset, pk):
    require(request.user, Right.MANAGE)
    return get_visible_or_404(request.user, queryset, pk=pk)


# --- trainees ------------------------------------------------------------------------------


@login_required
def trainee_list(request):
    filters = TraineeFilterSet(
        request.GET, _registry(request, Trainee.objects.all()), request=request
    )
    sort, order_by = ordering(request, TRAINEE_SORTS, "ten")
    records = (
        filters.qs.select_related("unit", "centre")
        .annotate(class_count=Count("enrolments"))
        .order_by(*order_by)
    )
    return render(
        request,
        "hocvien/trainee_list.html",
        {
            "page_obj": paginate(request, records),
            "form": filters.form,
            "sort": sort,
            "filtered": filters.filtered,
            "all_centres": request.user.sees_all_centres,
            "crumbs": [("Học viên", None)],
        },
    )


@login_required
def trainee_detail(request, pk):
    trainee = _managed_or_404(
        request, Trainee.objects.select_related("centre", "unit", "unit__merged_into"), pk
    )
    enrolments = classes.trainee_enrolments(trainee)
    changes = personal_data.record_changes(trainee, limit=HISTORY_SHOWN)
    return render(
        request,
        "hocvien/trainee_detail.html",
        {
            "trainee": trainee,
            "enrolments": enrolments,
            "last_change": changes[0] if changes else None,
            "changes": changes,
            "history_shown": HISTORY_SHOWN,
            "crumbs": [
                ("Học viên", reverse("hocvien:trainee_list")),
                (trainee.full_name, None),
            ],
        },
    )


@login_required
def trainee_export(request, pk):
    """Everything the centre holds on the person, in one file, logged (DESIGN §8b)."""
    trainee = _managed_or_404(request, Trainee.objects.select_related("centre", "unit"), pk)
    export = personal_data.trainee_export_xlsx(trainee)
    return personal_data_download(
        request,
        content=export.content,
        filename=export.filename,
        description=export.description,
        centre=trainee.centre,
        rows=1,
    )


@login_required
def trainee_delete(request, pk):
    """Confirm, then delete the person and their history — or explain why it is refused."""
    trainee = _managed_or_404(request, Trainee.objects.select_related("centre", "unit"), pk)
    if request.method == "POST":
        try:
            result = personal_data.trainee_delete(
                trainee=trainee, user=request.user, address=client_address(request)
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("hocvien:trainee_delete", pk=trainee.pk)
        messages.success(
            request,
            f"Đã xóa hồ sơ học viên {trainee.full_name} cùng {result.enrolments} lượt ghi danh "
            f"và toàn bộ lịch sử thay đổi.",
        )
        return redirect("hocvien:trainee_list")
    return render(
        request,
        "hocvien/trainee_delete.html",
        {
            "trainee": trainee,
            "plan": personal_data.trainee_deletion_plan(trainee),
            "crumbs": [
                ("Học viên", reverse("hocvien:trainee_list")),
                (trainee.full_name, reverse("hocvien:trainee_detail", args=[trainee.pk])),
                ("Xóa hồ sơ", None),
            ],
        },
    )


def _save_form(request, form, service, **kwargs):
    """Run the service on a valid form; its refusals go back onto the form, next to the field."""
    if not form.is_valid():
        return None
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
def trainee_create(request):
    require(request.user, Right.MANAGE)
    centre = default_centre(request.user)
    form = TraineeForm(request.POST or None, user=request.user, centre=centre)
    if request.method == "POST":
        trainee = _save_form(request, form, trainees.trainee_create, trainee=form.instance)
        if trainee is not None:
            messages.success(request, f"Đã thêm học viên {trainee.full_name}.")
            return redirect("hocvien:trainee_detail", pk=trainee.pk)
    return render(
        request,
        "hocvien/trainee_form.html",
        {
            "form": form,
            "title": "Thêm học viên",
            "crumbs": [("Học viên", reverse("hocvien:trainee_list")), ("Thêm học viên", None)],
        },
    )


@login_required
def trainee_edit(request, pk):
    trainee = _managed_or_404(request, Trainee.objects.select_related("centre"), pk)
    form = TraineeForm(request.POST or None, instance=trainee, user=request.user)
    if request.method == "POST":
        reason = form.cleaned_data.get("change_reason", "") if form.is_valid() else ""
        saved = _save_form(
            request,
            form,
            trainees.trainee_update,
            trainee=form.instance,
            user=request.user,
            reason=reason,
        )
        if saved is not None:
            messages.success(request, f"Đã lưu hồ sơ học viên {saved.full_name}.")
            return redirect("hocvien:trainee_detail", pk=saved.pk)
    return render(
        request,
        "hocvien/trainee_form.html",
        {
            "form": form,
            "trainee": trainee,
            "title": f"Sửa hồ sơ {trainee.full_name}",
            "crumbs": [
                ("Học viên", reverse("hocvien:trainee_list")),
                (trainee.full_name, reverse("hocvien:trainee_detail", args=[trainee.pk])),
                ("Sửa", None),
            ],
        },
    )


@login_required
def trainee_merge(request, pk):
    """Merge the record `pk` (the duplicate) into the record chosen to keep (?giu=)."""
    records = Trainee.objects.select_related("centre", "unit")
    remove = _managed_or_404(request, records, pk)
    same_centre = visible(request.user, records).filter(centre_id=remove.centre_id)
    keep = None
    keep_pk = parse_id(
        request.POST.get("giu") if request.method == "POST" else request.GET.get("giu")
    )
    if keep_pk:
        keep = same_centre.filter(pk=keep_pk).first()
    plan = trainees.trainee_merge_plan(keep=keep, remove=remove) if keep is not None else None
    if request.method == "POST":
        if keep is None:
            messages.error(request, "Hãy chọn hồ sơ giữ lại trước khi gộp.")
            return redirect("hocvien:trainee_merge", pk=remove.pk)
        try:
            trainees.trainee_merge(keep=keep, remove=remove, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(f"{reverse('hocvien:trainee_merge', args=[remove.pk])}?giu={keep.pk}")
        messages.success(
            request,
            f"Đã gộp hồ sơ {remove.full_name} (mã {remove.pk}) vào hồ sơ {keep.full_name}: "
            f"{len(plan.enrolments)} lượt ghi danh đã chuyển sang.",
        )
        return redirect("hocvien:trainee_detail", pk=keep.pk)

    search = TraineeSearchForm(request.GET or None)
    candidates, query = [], ""
    if keep is None:
        others = same_centre.exclude(pk=remove.pk).annotate(class_count=Count("enrolments"))
        query = search.cleaned_data["q"] if search.is_valid() else ""
        if query:
            candidates = others.search(query)
        else:
            # Likely duplicates: the same name typed with or without diacritics, or the same CCCD.
            same = Q(search_key=remove.search_key)
            if remove.national_id:
                same |= Q(national_id=remove.national_id)
            candidates = others.filter(same)
        candidates = list(candidates.order_by("sort_key", "id")[:20])
    return render(
        request,
        "hocvien/trainee_merge.html",
        {
            "remove": remove,
            "keep": keep,
            "plan": plan,
            "search": search,
            "candidates": candidates,
            "query": query,
            "crumbs": [
                ("Học viên", reverse("hocvien:trainee_list")),
                (remove.full_name, reverse("hocvien:trainee_detail", args=[remove.pk])),
                ("Gộp hồ sơ trùng", None),
            ],
        },
    )


# --- units ---------------------------------------------------------------------------------


@login_required
def unit_list(request):
    filters = UnitFilterSet(request.GET, _registry(request, Unit.objects.all()), request=request)
    current_trainees = (
        Trainee.objects.filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sort, order_by = ordering(request, UNIT_SORTS, "ten")
    records = (
        filters.qs.select_related("merged_into", "centre")
        .annotate(
            enrolment_count=Count("enrolments"),
            trainee_count=Coalesce(
                Subquery(current_trainees, output_field=IntegerField()), Value(0)
            ),
        )
        .order_by(*order_by)
    )
    return render(
        request,
        "hocvien/unit_list.html",
        {
            "page_obj": paginate(request, records),
            "form": filters.form,
            "sort": sort,
            "filtered": filters.filtered,
            "all_centres": request.user.sees_all_centres,
            "crumbs": [("Đơn vị", None)],
        },
    )


@login_required
def unit_detail(request, pk):
    unit = _managed_or_404(
        request, Unit.objects.select_related("centre", "merged_into", "parent"), pk
    )
    per_year = classes.unit_years(unit)
    page = paginate(request, unit.trainees.order_by("sort_key", "id"))
    return render(
        request,
        "hocvien/unit_detail.html",
        {
            "unit": unit,
            "per_year": per_year,
            "merged_from": unit.merged_from.order_by("search_key", "id"),
            "children": unit.children.order_by("search_key", "id"),
            "accounts": unit.accounts.select_related("user").order_by("user__username"),
            "page_obj": page,
            "crumbs": [("Đơn vị", reverse("hocvien:unit_list")), (unit.name, None)],
        },
    )


def _unit_crumbs(unit: Unit, label: str) -> list:
    return [
        ("Đơn vị", reverse("hocvien:unit_list")),
        (unit.name, reverse("hocvien:unit_detail", args=[unit.pk])),
        (label, None),
    ]


@never_cache
@login_required
def unit_account_create(request, pk):
    """A liaison login for the unit; its one-time password is shown once, on the page that
    answers the POST (rendered, not redirected: the password is stored nowhere)."""
    unit = _managed_or_404(request, Unit.objects.select_related("centre"), pk)
    form = UnitAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = account_create(
                unit=unit,
                full_name=form.cleaned_data["full_name"],
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                created_by=request.user,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            return render(
                request,
                "hocvien/unit_account_created.html",
                {
                    "unit": unit,
                    "account": user,
                    "password": password,
                    "crumbs": _unit_crumbs(unit, "Tài khoản đơn vị"),
                },
            )
    return render(
        request,
        "hocvien/unit_account_form.html",
        {"unit": unit, "form": form, "crumbs": _unit_crumbs(unit, "Tạo tài khoản đơn vị")},
    )


@login_required
@require_POST
def unit_account_active(request, pk, account_pk):
    """Lock a liaison's login (after a confirmation) or unlock it."""
    unit = _managed_or_404(request, Unit.objects.select_related("centre"), pk)
    account = unit.accounts.select_related("user").filter(pk=account_pk).first()
    if account is None:
        messages.error(request, "Không tìm thấy tài khoản này của đơn vị; hãy tải lại trang.")
        return redirect("hocvien:unit_detail", pk=unit.pk)
    action = request.POST.get("hanh_dong")
    try:
        if action == "khoa":
            if request.POST.get("xac_nhan") != "1":
                return render(
                    request,
                    "hocvien/unit_account_confirm.html",
                    {
                        "unit": unit,
                        "account": account,
                        "crumbs": _unit_crumbs(unit, "Khóa tài khoản"),
                    },
                )
            user = unit_account_set_active(account=account, active=False, changed_by=request.user)
            messages.success(
                request,
                f"Đã khóa tài khoản {user.username}: cán bộ đơn vị không đăng nhập được nữa. "
                "Những gì đơn vị đã gửi vẫn được giữ nguyên.",
            )
        elif action == "mo":
            user = unit_account_set_active(account=account, active=True, changed_by=request.user)
            messages.success(request, f"Đã mở lại tài khoản {user.username}.")
        else:
            messages.error(request, "Thao tác không hợp lệ; hãy dùng các nút trên trang.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{reverse('hocvien:unit_detail', args=[unit.pk])}#tai-khoan")


@login_required
def unit_create(request):
    require(request.user, Right.MANAGE)
    form = UnitForm(request.POST or None, user=request.user, centre=default_centre(request.user))
    if request.method == "POST":
        unit = _save_form(request, form, units.unit_create, unit=form.instance)
        if unit is not None:
            messages.success(request, f"Đã thêm đơn vị {unit.name}.")
            return redirect("hocvien:unit_detail", pk=unit.pk)
    return render(
        request,
        "hocvien/unit_form.html",
        {
            "form": form,
            "title": "Thêm đơn vị",
            "crumbs": [("Đơn vị", reverse("hocvien:unit_list")), ("Thêm đơn vị", None)],
        },
    )


@login_required
def unit_edit(request, pk):
    unit = _managed_or_404(request, Unit.objects.select_related("centre"), pk)
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST":
        saved = _save_form(request, form, units.unit_update, unit=form.instance)
        if saved is not None:
            messages.success(request, f"Đã lưu đơn vị {saved.name}.")
            return redirect("hocvien:unit_detail", pk=saved.pk)
    return render(
        request,
        "hocvien/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "title": f"Sửa đơn vị {unit.name}",
            "crumbs": [
                ("Đơn vị", reverse("hocvien:unit_list")),
                (unit.name, reverse("hocvien:unit_detail", args=[unit.pk])),
                ("Sửa", None),
            ],
        },
    )


@login_required
def unit_merge(request, pk):
    """Merge the duplicate unit `pk` into the unit chosen to keep (?giu=), then delete it."""
    remove = _managed_or_404(request, Unit.objects.select_related("centre", "merged_into"), pk)
    data = request.POST if request.method == "POST" else request.GET
    form = UnitMergeForm(
        data if UnitMergeForm.keys["keep"] in data else None, user=request.user, remove=remove
    )
    keep = form.cleaned_data["keep"] if form.is_bound and form.is_valid() else None
    if request.method == "POST":
        if keep is None:
            messages.error(request, "Hãy chọn đơn vị giữ lại trước khi gộp.")
            return redirect("hocvien:unit_merge", pk=remove.pk)
        counts = units.unit_merge_counts(remove)
        try:
            units.unit_merge(keep=keep, remove=remove, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(f"{reverse('hocvien:unit_merge', args=[remove.pk])}?giu={keep.pk}")
        messages.success(
            request,
            f"Đã gộp đơn vị {remove.name} vào {keep.name}: chuyển {counts['trainees']} học viên "
            f"và {counts['enrolments']} lượt ghi danh.",
        )
        return redirect("hocvien:unit_detail", pk=keep.pk)
    return render(
        request,
        "hocvien/unit_merge.html",
        {
            "remove": remove,
            "keep": keep,
            "form": form,
            "refusals": units.unit_merge_refusals(keep=keep, remove=remove) if keep else [],
            "remove_counts": units.unit_merge_counts(remove),
            "keep_counts": units.unit_merge_counts(keep) if keep else None,
            "crumbs": [
                ("Đơn vị", reverse("hocvien:unit_list")),
                (remove.name, reverse("hocvien:unit_detail", args=[remove.pk])),
                ("Gộp đơn vị trùng", None),
            ],
        },
    )
