"""Materials pages (staff manage them by program; the class's lecturers download them), the
public class link (no login), and the schedule letter to lecturers.

Outside one's scope an object does not exist (404); inside it without the right, 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from giangvien.models import Lecturer
from lophoc.models import Program
from lophoc.views.lookup import course_or_404
from tailieu import letters, materials
from tailieu.forms import LetterForm, MaterialCreateForm, MaterialEditForm, VersionForm
from tailieu.models import Material, MaterialVersion, ScheduleLetter
from thongbao.mail import mail_configured
from trungtam.document_files import DocumentRefused, megabytes
from trungtam.documents.downloads import file_download
from trungtam.documents.numbers import format_number
from trungtam.forms import add_refusal
from trungtam.listing import paginate
from trungtam.scoping import Right, get_visible_or_404, require, visible

HOME = ("Tài liệu giảng dạy", "tailieu:program_list")


def _crumbs(*tail):
    return [(HOME[0], reverse(HOME[1])), *tail]


def _program(request, pk) -> Program:
    require(request.user, Right.MANAGE)
    return get_visible_or_404(request.user, Program.objects.select_related("centre"), pk=pk)


def _material(request, pk) -> Material:
    require(request.user, Right.MANAGE)
    return get_visible_or_404(
        request.user,
        Material.objects.select_related("program", "program__centre", "topic", "current"),
        pk=pk,
    )


def _program_url(program_id) -> str:
    return reverse("tailieu:program_materials", args=[program_id])


# --- staff: materials by program ----------------------------------------------------------------


@login_required
def program_list(request):
    require(request.user, Right.MANAGE)
    programs = (
        visible(request.user, Program.objects.all())
        .select_related("centre")
        .annotate(
            material_count=Count("materials", filter=Q(materials__current__isnull=False)),
            trainee_count=Count(
                "materials",
                filter=Q(materials__current__isnull=False, materials__for_trainees=True),
            ),
        )
        .order_by("-active", "centre__name", "name", "pk")
    )
    return render(
        request,
        "tailieu/program_list.html",
        {
            "page_obj": paginate(request, programs),
            "all_centres": request.user.sees_all_centres,
            "crumbs": [(HOME[0], None)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_materials(request, pk):
    program = _program(request, pk)
    form = MaterialCreateForm(request.POST or None, request.FILES or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material = materials.material_create(
                program=program,
                topic=data["topic"],
                title=data["title"],
                note=data["note"],
                for_trainees=data["for_trainees"],
                content=form.content,
                filename=form.filename,
                user=request.user,
            )
        except DocumentRefused as refusal:
            form.add_error("file", str(refusal))
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"Đã tải lên tài liệu «{material.title}» ({megabytes(material.current.size)} MB) "
                f"cho chương trình «{program.name}».",
            )
            return redirect(_program_url(program.pk))
    rows = materials.in_use(Material.objects.filter(program=program)).annotate(
        version_count=Count("versions")
    )
    return render(
        request,
        "tailieu/program_materials.html",
        {
            "program": program,
            "materials": list(rows),
            "form": form,
            "crumbs": _crumbs((program.name, None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def material_detail(request, pk):
    material = _material(request, pk)
    initial = {
        "topic": material.topic,
        "title": material.title,
        "note": material.note,
        "for_trainees": material.for_trainees,
    }
    form = MaterialEditForm(request.POST or None, initial=initial, program=material.program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            materials.material_update(
                material=material,
                topic=data["topic"],
                title=data["title"],
                note=data["note"],
                for_trainees=data["for_trainees"],
            )
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"Đã lưu tài liệu «{material.title}».")
            return redirect(reverse("tailieu:material_detail", args=[material.pk]))
    versions = list(material.versions.select_related("uploaded_by").order_by("-number"))
    return render(
        request,
        "tailieu/material_detail.html",
        {
            "material": material,
            "versions": versions,
            "form": form,
            "version_form": VersionForm(),
            "crumbs": _crumbs(
                (material.program.name, _program_url(material.program_id)), (material.title, None)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def material_version(request, pk):
    material = _material(request, pk)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = materials.material_add_version(
                material=material, content=form.content, filename=form.filename, user=request.user
            )
        except DocumentRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            messages.success(
                request,
                f"Đã tải lên phiên bản {format_number(version.number)} của tài liệu "
                f"«{material.title}»; phiên bản này thay cho phiên bản trước.",
            )
            return redirect(reverse("tailieu:material_detail", args=[material.pk]))
    return render(
        request,
        "tailieu/material_version.html",
        {
            "material": material,
            "form": form,
            "crumbs": _crumbs(
                (material.program.name, _program_url(material.program_id)),
                (material.title, reverse("tailieu:material_detail", args=[material.pk])),
                ("Phiên bản mới", None),
            ),
        },
    )


def _material_url(material_id) -> str:
    return reverse("tailieu:material_detail", args=[material_id])


@login_required
@require_http_methods(["GET", "POST"])
def material_delete(request, pk):
    """Confirm, then remove the material with all its versions and files."""
    material = _material(request, pk)
    if request.method == "POST":
        removed = materials.material_delete(material=material)
        messages.success(
            request,
            f"Đã gỡ tài liệu «{material.title}» cùng {format_number(removed)} phiên bản; giảng "
            "viên và học viên không tải được tài liệu này nữa.",
        )
        return redirect(_program_url(material.program_id))
    return render(
        request,
        "tailieu/material_delete.html",
        {
            "material": material,
            "version_count": material.versions.count(),
            "crumbs": _crumbs(
                (material.program.name, _program_url(material.program_id)),
                (material.title, _material_url(material.pk)),
                ("Gỡ tài liệu", None),
            ),
        },
    )


@login_required
@require_POST
def version_delete(request, pk):
    require(request.user, Right.MANAGE)
    version = get_visible_or_404(
        request.user, MaterialVersion.objects.select_related("material"), pk=pk
    )
    try:
        current = materials.version_delete(version=version)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"Đã gỡ phiên bản {format_number(version.number)} («{version.filename}»); phiên bản "
            f"hiện hành là phiên bản {format_number(current.number)}.",
        )
    return redirect(_material_url(version.material_id))


@login_required
def material_download(request, pk):
    """The current version: staff of the centre, and lecturers of a class of the program."""
    user = request.user
    queryset = Material.objects.select_related("current").filter(current__isnull=False)
    if materials.lecturer_reads_only(user):
        material = get_object_or_404(
            queryset.filter(
                program__centre_id=user.centre_id,
                program_id__in=materials.taught_program_ids(user),
            ),
            pk=pk,
        )
    else:
        material = get_visible_or_404(user, queryset, pk=pk)
        require(user, Right.MANAGE)
    version = material.current
    return file_download(materials.version_content(version), materials.download_name(version))


@login_required
def version_download(request, pk):
    """Any version, older ones included: staff only."""
    require(request.user, Right.MANAGE)
    version = get_visible_or_404(request.user, MaterialVersion.objects.all(), pk=pk)
    return file_download(materials.version_content(version), materials.download_name(version))


@login_required
@require_POST
def link_renew(request, pk):
    course = course_or_404(request, pk, Right.MANAGE)
    materials.class_link_renew(course=course, user=request.user)
    messages.success(
        request,
        f"Đã đổi đường dẫn tài liệu của lớp {course.code}: đường dẫn cũ (và mã QR cũ) không "
        "còn mở được.",
    )
    # Back to the quality page, where the link is shown with its button.
    return redirect(reverse("lophoc:course_quality", args=[course.pk]) + "#tai-lieu-giang-day")


# --- public: a class's trainee materials, no login ----------------------------------------------


def _public_course(token):
    course = materials.public_course(token)
    if course is None:
        raise Http404("Không tìm thấy.")
    return course


def public_class(request, token):
    course = _public_course(token)
    return render(
        request,
        "tailieu/public_class.html",
        {"course": course, "materials": list(materials.trainee_materials(course)), "token": token},
    )


def public_download(request, token, pk):
    course = _public_course(token)
    material = get_object_or_404(materials.trainee_materials(course), pk=pk)
    version = material.current
    return file_download(
        materials.version_content(version),
        materials.download_name(version),
        cache_control="private, no-store",
    )


# --- the schedule letter ------------------------------------------------------------------------


def _lecturers(request):
    return (
        visible(request.user, Lecturer.objects.filter(active=True))
        .select_related("centre")
        .order_by("sort_key", "id")
    )


def _period_query(date_from, date_to) -> str:
    query = QueryDict(mutable=True)
    query["tu_ngay"] = f"{date_from:%d/%m/%Y}"
    query["den_ngay"] = f"{date_to:%d/%m/%Y}"
    return query.urlencode()


@login_required
def letter_page(request):
    require(request.user, Right.MANAGE)
    lecturers = _lecturers(request)
    data = request.GET if "tu_ngay" in request.GET or "den_ngay" in request.GET else None
    start, end = letters.coming_month()
    initial = {"date_from": start, "date_to": end}
    chosen = request.GET.getlist("giang_vien")
    if data is None and chosen:
        data = request.GET.copy()
        data["tu_ngay"], data["den_ngay"] = f"{start:%d/%m/%Y}", f"{end:%d/%m/%Y}"
    form = LetterForm(data, initial=initial, lecturers=lecturers)
    previews = []
    period = ""
    if data is not None and form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        previews = letters.collect(list(form.cleaned_data["lecturers"]), date_from, date_to)
        period = _period_query(date_from, date_to)
    sent = (
        visible(request.user, ScheduleLetter.objects.all())
        .select_related("lecturer", "sent_by")
        .order_by("-sent_at", "-id")
    )
    return render(
        request,
        "tailieu/letter_page.html",
        {
            "form": form,
            "previews": previews,
            "period": period,
            "mail_on": mail_configured(),
            "sent_page": paginate(request, sent),
            "crumbs": [("Giấy mời giảng", None)],
        },
    )


@login_required
def letter_pdf(request, pk):
    require(request.user, Right.MANAGE)
    lecturer = get_visible_or_404(request.user, Lecturer.objects.select_related("centre"), pk=pk)
    form = LetterForm(request.GET, lecturers=Lecturer.objects.filter(pk=lecturer.pk))
    form.fields["lecturers"].required = False
    if not form.is_valid():
        start, end = letters.coming_month()
        if "tu_ngay" in request.GET or "den_ngay" in request.GET:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(reverse("tailieu:letter_page") + f"?giang_vien={lecturer.pk}")
        date_from, date_to = start, end
    else:
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    letter = letters.letter_for(lecturer, date_from, date_to)
    refusal = letters.empty_refusal(letter)
    if refusal:
        messages.error(request, refusal)
        query = _period_query(date_from, date_to) + f"&giang_vien={lecturer.pk}"
        return redirect(reverse("tailieu:letter_page") + "?" + query)
    return file_download(letters.letter_pdf(letter), letters.filename(letter))


@login_required
@require_POST
def letter_send(request):
    require(request.user, Right.MANAGE)
    form = LetterForm(request.POST, lecturers=_lecturers(request))
    back = reverse("tailieu:letter_page")
    if not mail_configured():
        messages.error(
            request,
            "Chưa cấu hình máy chủ thư (EMAIL_HOST) nên không gửi được thư: hãy tải giấy mời giảng "
            "về, in và giao cho giảng viên.",
        )
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    chosen = list(form.cleaned_data["lecturers"])
    outcome = letters.letters_send(
        letters=letters.collect(chosen, date_from, date_to), user=request.user
    )
    for record in outcome.sent:
        messages.success(
            request,
            f"Đã gửi giấy mời giảng tới {record.lecturer.full_name} ({record.to_address}).",
        )
    for record in outcome.failed:
        messages.error(
            request,
            f"Không gửi được thư tới {record.lecturer.full_name} ({record.to_address}): "
            f"{record.error}. Hãy thử lại sau hoặc in giấy mời và giao tay.",
        )
    for lecturer in outcome.by_hand:
        messages.warning(
            request,
            f"{lecturer.full_name} chưa có địa chỉ thư điện tử: cần in giấy mời và giao tay.",
        )
    for lecturer in outcome.empty:
        messages.info(
            request, f"{lecturer.full_name} không có buổi giảng nào trong khoảng này: không gửi."
        )
    query = _period_query(date_from, date_to)
    query += "".join(f"&giang_vien={lecturer.pk}" for lecturer in chosen)
    return redirect(f"{back}?{query}")
