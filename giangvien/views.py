"""Lecturer screens: the list, a lecturer's page with this year's sessions, the record and its login.

Staff and admins (right to manage) see and change every lecturer of their centre. A lecturer may
open their own page — `visible()` shows them nobody else — but changes nothing.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from giangvien import classes, lecturers, panels
from giangvien.accounts import (
    lecturer_account_create,
    lecturer_account_disable,
    lecturer_account_enable,
)
from giangvien.filters import LecturerFilterSet
from giangvien.forms import LecturerForm
from giangvien.models import Lecturer
from trungtam.listing import ordering, paginate, year_param
from trungtam.scoping import Right, default_centre, get_visible_or_404, has_right, require, visible

LECTURER_SORTS = {
    "ten": ["sort_key", "id"],
    "tiet": ["period_sum", "sort_key", "id"],
    "buoi": ["session_count", "sort_key", "id"],
}
# Sessions run in this order within a day; the stored values do not sort that way.
PART_ORDER = {"morning": 0, "afternoon": 1, "evening": 2}


def _year(request) -> int:
    return year_param(request, timezone.localdate().year)


@login_required
def lecturer_list(request):
    require(request.user, Right.MANAGE)
    filters = LecturerFilterSet(
        request.GET, visible(request.user, Lecturer.objects.all()), request=request
    )
    year = _year(request)
    sort, order_by = ordering(request, LECTURER_SORTS, "ten")
    records = classes.with_teaching(filters.qs.select_related("user", "centre"), year).order_by(
        *order_by
    )
    page = paginate(request, records)
    return render(
        request,
        "giangvien/lecturer_list.html",
        {
            "page_obj": page,
            "form": filters.form,
            "sort": sort,
            "year": year,
            "filtered": filters.filtered,
            "all_centres": request.user.sees_all_centres,
            "crumbs": [("Giảng viên", None)],
        },
    )


def _lecturer_or_404(request, pk, *, own_allowed=False) -> Lecturer:
    """The lecturer in scope (404 outside it); 403 without the right to manage, except a
    lecturer opening their own page when `own_allowed`."""
    lecturer = get_visible_or_404(
        request.user, Lecturer.objects.select_related("centre", "user"), pk=pk
    )
    if not (own_allowed and lecturer.user_id == request.user.pk):
        require(request.user, Right.MANAGE)
    return lecturer


@login_required
def my_page(request):
    """A lecturer's own page (the menu's «Hồ sơ giảng dạy»): their record, evaluations,
    observations and materials. Only a login linked to a lecturer has one."""
    lecturer = Lecturer.objects.filter(user=request.user).only("pk").first()
    if lecturer is None:
        raise Http404("Tài khoản này không gắn với giảng viên nào.")
    return redirect("giangvien:lecturer_detail", pk=lecturer.pk)


@login_required
def lecturer_detail(request, pk):
    lecturer = _lecturer_or_404(request, pk, own_allowed=True)
    year = _year(request)
    sessions = sorted(
        classes.sessions_in_year(lecturer, year),
        key=lambda s: (s.date, PART_ORDER.get(s.part, 9), s.start_time or datetime.time.min),
    )
    can_manage = has_right(request.user, Right.MANAGE)
    crumbs = [(lecturer.full_name, None)]
    if can_manage:
        crumbs.insert(0, ("Giảng viên", reverse("giangvien:lecturer_list")))
    return render(
        request,
        "giangvien/lecturer_detail.html",
        {
            "lecturer": lecturer,
            "year": year,
            "sessions": sessions,
            "total_periods": sum(s.periods for s in sessions),
            "can_manage": can_manage,
            "crumbs": crumbs,
            "panels": panels.lecturer_page(request, lecturer, year),
        },
    )


def _saved(request, form, service) -> Lecturer | None:
    """Run the service on a valid posted form; its refusals go back onto the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(lecturer=form.instance, user=request.user)
    except ValidationError as error:
        for field, errors in error.update_error_dict({}).items():
            form.add_error(field if field in form.fields else None, errors)
        return None


@login_required
def lecturer_create(request):
    require(request.user, Right.MANAGE)
    form = LecturerForm(
        request.POST or None, user=request.user, centre=default_centre(request.user)
    )
    lecturer = _saved(request, form, lecturers.lecturer_create)
    if lecturer is not None:
        messages.success(request, f"Đã thêm giảng viên {lecturer.full_name}.")
        return redirect("giangvien:lecturer_detail", pk=lecturer.pk)
    return render(
        request,
        "giangvien/lecturer_form.html",
        {
            "form": form,
            "title": "Thêm giảng viên",
            "crumbs": [
                ("Giảng viên", reverse("giangvien:lecturer_list")),
                ("Thêm giảng viên", None),
            ],
        },
    )


@login_required
def lecturer_edit(request, pk):
    lecturer = _lecturer_or_404(request, pk)
    form = LecturerForm(request.POST or None, instance=lecturer, user=request.user)
    saved = _saved(request, form, lecturers.lecturer_update)
    if saved is not None:
        messages.success(request, f"Đã lưu thông tin giảng viên {saved.full_name}.")
        return redirect("giangvien:lecturer_detail", pk=lecturer.pk)
    return render(
        request,
        "giangvien/lecturer_form.html",
        {
            "form": form,
            "lecturer": lecturer,
            "title": f"Sửa thông tin {lecturer.full_name}",
            "crumbs": [
                ("Giảng viên", reverse("giangvien:lecturer_list")),
                (lecturer.full_name, reverse("giangvien:lecturer_detail", args=[lecturer.pk])),
                ("Sửa", None),
            ],
        },
    )


@never_cache
@login_required
@require_POST
def lecturer_account(request, pk):
    """Create the lecturer's login, or lock / unlock it (locking asks for confirmation first)."""
    lecturer = _lecturer_or_404(request, pk)
    action = request.POST.get("hanh_dong")
    detail = reverse("giangvien:lecturer_detail", args=[lecturer.pk])
    try:
        if action == "tao":
            user, password = lecturer_account_create(lecturer=lecturer, created_by=request.user)
            # Rendered, not redirected: the password is never stored, not even in the session.
            messages.success(
                request,
                f"Đã tạo tài khoản cho giảng viên {lecturer.full_name}: tên đăng nhập {user.username}"
                f", mật khẩu tạm {password}. Mật khẩu chỉ hiện một lần: hãy ghi lại để trao cho "
                "giảng viên và đề nghị đổi mật khẩu sau lần đăng nhập đầu tiên.",
            )
            return render(
                request,
                "giangvien/lecturer_account_created.html",
                {
                    "lecturer": lecturer,
                    "account": user,
                    "password": password,
                    "crumbs": [
                        ("Giảng viên", reverse("giangvien:lecturer_list")),
                        (lecturer.full_name, detail),
                        ("Tài khoản đăng nhập", None),
                    ],
                },
            )
        if action == "khoa":
            if request.POST.get("xac_nhan") != "1":
                return render(
                    request,
                    "giangvien/lecturer_account_confirm.html",
                    {
                        "lecturer": lecturer,
                        "crumbs": [
                            ("Giảng viên", reverse("giangvien:lecturer_list")),
                            (lecturer.full_name, detail),
                            ("Khóa tài khoản", None),
                        ],
                    },
                )
            user = lecturer_account_disable(lecturer=lecturer, changed_by=request.user)
            messages.success(
                request,
                f"Đã khóa tài khoản {user.username}: giảng viên không đăng nhập được nữa. "
                "Dữ liệu điểm danh, điểm đã nhập vẫn được giữ nguyên.",
            )
        elif action == "mo":
            user = lecturer_account_enable(lecturer=lecturer, changed_by=request.user)
            messages.success(request, f"Đã mở lại tài khoản {user.username}.")
        else:
            messages.error(request, "Thao tác không hợp lệ; hãy dùng các nút trên trang.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(detail)
