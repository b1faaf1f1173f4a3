"""Admin of programs, classes and everything in them.

What the admin must not bypass: a class's status moves only through the status machine
(`Course.transition_to`), so it is read-only here; certificates are issued and voided by the
certificate service, so they are view-only; results on an enrolment are computed, never typed;
nothing of a closed class changes (see trungtam.admin_scoping).
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from lophoc.enrolments import capacity_refusal
from lophoc.models import (
    Assessment,
    Attendance,
    Certificate,
    CertificateCounter,
    Course,
    CourseStatus,
    CourseStatusChange,
    Enrolment,
    EnrolmentStatus,
    Program,
    ProgramAssessment,
    ProgramTopic,
    Score,
    Session,
    Topic,
    Venue,
    VerificationFailure,
)
from lophoc.timetable import session_clash
from trungtam.admin_scoping import (
    ScopedHistoryAdmin,
    ScopedModelAdmin,
    ScopedRelatedFilter,
    ScopedTabularInline,
)
from trungtam.scoping import Right

ENROLMENT_RESULT_FIELDS = (
    "scheduled_periods",
    "absent_periods",
    "excused_periods",
    "final_score",
    "classification",
    "is_eligible",
    "passed",
    "result_computed_at",
)


# --- rules the admin's forms check (until lophoc has services for them) ----------------------


# --- programs --------------------------------------------------------------------------------


class ProgramTopicInline(ScopedTabularInline):
    model = ProgramTopic
    fields = ("order", "title", "periods")


class ProgramAssessmentInline(ScopedTabularInline):
    model = ProgramAssessment
    fields = ("order", "name", "weight", "is_final")


@admin.register(Program)
class ProgramAdmin(ScopedHistoryAdmin):
    inlines = [ProgramTopicInline, ProgramAssessmentInline]
    list_display = (
        "code",
        "name",
        "system",
        "is_assessed",
        "certificate_issuer",
        "default_days",
        "default_periods",
        "absence_limit_percent",
        "active",
    )
    list_display_links = ("code", "name")
    list_filter = ("system", "is_assessed", "certificate_issuer", "active")
    list_select_related = ()
    search_fields = ("code", "name")
    fieldsets = (
        (None, {"fields": ("centre", "code", "name", "system", "active")}),
        (
            "Thời lượng và quy định mặc định của lớp",
            {
                "fields": (
                    ("default_days", "default_periods"),
                    "is_assessed",
                    "absence_limit_percent",
                    "certificate_issuer",
                    "partner_name",
                )
            },
        ),
        ("Giấy chứng nhận", {"fields": ("certificate_wording", "wording_in_use")}),
        ("Mô tả", {"fields": ("description",)}),
    )
    readonly_fields = ("wording_in_use",)

    @admin.display(description="Lời văn đang dùng")
    def wording_in_use(self, obj):
        from lophoc.certificates import wording_for

        return wording_for(obj) if obj is not None and obj.pk else "—"


class ProgramPartAdmin(ScopedModelAdmin):
    list_select_related = ("program",)
    list_filter = (("program", ScopedRelatedFilter),)

    @admin.display(description="Chương trình", ordering="program__name")
    def program_name(self, obj):
        return obj.program.name


@admin.register(ProgramTopic)
class ProgramTopicAdmin(ProgramPartAdmin):
    list_display = ("title", "program_name", "order", "periods")
    search_fields = ("title", "program__name", "program__code")
    fields = ("program", "order", "title", "periods")


@admin.register(ProgramAssessment)
class ProgramAssessmentAdmin(ProgramPartAdmin):
    list_display = ("name", "program_name", "order", "weight", "is_final")
    search_fields = ("name", "program__name", "program__code")
    fields = ("program", "order", "name", "weight", "is_final")


# --- classes ---------------------------------------------------------------------------------


class CourseColumns:
    """A 'Lớp' column for the admins of things that belong to a class (needs `course` selected)."""

    @admin.display(description="Lớp", ordering="course__code")
    def course_code(self, obj):
        return obj.course.code


class TopicInline(ScopedTabularInline):
    model = Topic
    fields = ("order", "title", "periods")


class SessionInlineFormSet(forms.BaseInlineFormSet):
    """Refuses a lecturer or room booked twice in the same slot, in this class or another."""

    def clean(self):
        super().clean()
        own_pks = [form.instance.pk for form in self.forms]
        booked = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            if not form.has_changed() and form.instance.pk is None:
                continue  # an empty extra row
            data = form.cleaned_data
            slot = (data.get("date"), data.get("part"))
            lecturer, room = data.get("lecturer"), (data.get("room") or "").strip().lower()
            if lecturer is not None:
                if (slot, "lecturer", lecturer.pk) in booked:
                    form.add_error(
                        "lecturer", "Giảng viên này đã có buổi khác cùng buổi trong lớp."
                    )
                booked.add((slot, "lecturer", lecturer.pk))
            if room:
                if (slot, "room", room) in booked:
                    form.add_error(
                        "room", "Phòng này đã được xếp cho buổi khác cùng buổi trong lớp."
                    )
                booked.add((slot, "room", room))
            clash = session_clash(
                course=self.instance,
                date=data.get("date"),
                part=data.get("part"),
                lecturer=lecturer,
                room=data.get("room"),
                start_time=data.get("start_time"),
                end_time=data.get("end_time"),
                exclude_pks=own_pks,
            )
            if clash:
                form.add_error(None, clash)


class SessionInline(ScopedTabularInline):
    model = Session
    formset = SessionInlineFormSet
    fields = (
        "date",
        "part",
        "start_time",
        "end_time",
        "topic",
        "kind",
        "lecturer",
        "room",
        "periods",
    )

    def related_queryset(self, request, db_field, queryset, context_obj):
        if db_field.name == "topic":
            # Only the topics of this class (a new class has none until it is saved).
            return queryset.filter(course=context_obj) if context_obj else queryset.none()
        return queryset


class EnrolmentInline(ScopedTabularInline):
    """The class list: read here, edited on each enrolment's page (results are computed)."""

    model = Enrolment
    verbose_name_plural = "Danh sách học viên"
    fields = ("trainee", "unit", "position", "status", "final_score", "classification", "passed")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("trainee", "unit")

    def has_add_permission(self, request, obj=None):
        return False


class EnrolmentAddFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        adding = sum(
            1
            for form in self.forms
            if form.has_changed()
            and not self._should_delete_form(form)
            and getattr(form, "cleaned_data", {}).get("trainee") is not None
        )
        refusal = capacity_refusal(self.instance, adding)
        if refusal:
            raise forms.ValidationError(refusal)


class EnrolmentAddInline(ScopedTabularInline):
    """New rows only: a trainee picked by search (thousands of them), checked against capacity."""

    model = Enrolment
    formset = EnrolmentAddFormSet
    verbose_name = "học viên ghi danh thêm"
    verbose_name_plural = "Ghi danh thêm học viên"
    fields = ("trainee", "unit", "position")
    raw_id_fields = ("trainee", "unit")

    def get_queryset(self, request):
        return super().get_queryset(request).none()


class AssessmentInline(ScopedTabularInline):
    model = Assessment
    fields = ("order", "name", "weight", "is_final", "has_retake", "grader")


class CourseStatusChangeInline(ScopedTabularInline):
    model = CourseStatusChange
    read_only = True
    verbose_name_plural = "Lịch sử trạng thái"
    fields = ("created_at", "old_status", "new_status", "reason", "user")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Venue)
class VenueAdmin(ScopedModelAdmin):
    """The centre's list of places where classes are held; a class's venue is chosen from it."""

    list_display = ("name", "centre", "active")
    list_filter = ("active",)
    search_fields = ("name",)


@admin.register(Course)
class CourseAdmin(ScopedHistoryAdmin):
    inlines = [
        TopicInline,
        SessionInline,
        AssessmentInline,
        EnrolmentInline,
        EnrolmentAddInline,
        CourseStatusChangeInline,
    ]
    list_display = (
        "code",
        "name",
        "program",
        "start_date",
        "end_date",
        "venue",
        "enrolled",
        "status",
    )
    list_display_links = ("code", "name")
    list_filter = ("status", ("program", ScopedRelatedFilter), "is_assessed")
    list_select_related = ("program",)
    search_fields = ("code", "name", "venue")
    date_hierarchy = "start_date"
    readonly_fields = ("status", "created_at")
    fieldsets = (
        (None, {"fields": ("centre", "program", "code", "name")}),
        ("Thời gian, địa điểm", {"fields": (("start_date", "end_date"), "venue", "capacity")}),
        (
            "Quy định của lớp",
            {
                "fields": (
                    "is_assessed",
                    "absence_limit_percent",
                    "certificate_issuer",
                    "partner_name",
                )
            },
        ),
        (
            "Trạng thái",
            {
                "description": (
                    "Lớp mới ở trạng thái «Kế hoạch». Trạng thái chỉ chuyển theo quy trình của lớp "
                    "(chiêu sinh → đang học → chấm điểm → kết thúc) trên trang lớp học, "
                    "không sửa trực tiếp ở đây."
                ),
                "fields": ("status", "notes", "created_at"),
            },
        ),
    )

    def get_queryset(self, request):
        active = (
            Enrolment.objects.filter(course=OuterRef("pk"), status=EnrolmentStatus.ACTIVE)
            .order_by()
            .values("course")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(active_count=Coalesce(Subquery(active), 0))

    def get_inlines(self, request, obj):
        if obj is None:  # a new class has no list and no status history yet
            return [i for i in self.inlines if i not in (EnrolmentInline, CourseStatusChangeInline)]
        return self.inlines

    @admin.display(description="Sĩ số", ordering="active_count")
    def enrolled(self, obj):
        return f"{obj.active_count}/{obj.capacity}"

    def has_delete_permission(self, request, obj=None):
        # A class that has started carries attendance and results: it is cancelled, not deleted.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or obj.status in (CourseStatus.PLANNED, CourseStatus.CANCELLED)
        )


@admin.register(CourseStatusChange)
class CourseStatusChangeAdmin(CourseColumns, ScopedModelAdmin):
    read_only = True
    list_display = ("created_at", "course_code", "old_status", "new_status", "user", "reason")
    list_filter = ("new_status",)
    list_select_related = ("course", "user")
    search_fields = ("course__code", "reason")
    date_hierarchy = "created_at"
    fields = ("course", "created_at", "old_status", "new_status", "reason", "user")


@admin.register(Topic)
class TopicAdmin(CourseColumns, ScopedModelAdmin):
    list_display = ("title", "course_code", "order", "periods")
    list_select_related = ("course",)
    search_fields = ("title", "course__code")
    raw_id_fields = ("course",)
    fields = ("course", "order", "title", "periods")


class SessionAdminForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        course, topic = cleaned_data.get("course"), cleaned_data.get("topic")
        if course is not None and topic is not None and topic.course_id != course.pk:
            self.add_error("topic", "Chuyên đề phải thuộc lớp của buổi học.")
        clash = session_clash(
            course=course,
            date=cleaned_data.get("date"),
            part=cleaned_data.get("part"),
            lecturer=cleaned_data.get("lecturer"),
            room=cleaned_data.get("room"),
            start_time=cleaned_data.get("start_time"),
            end_time=cleaned_data.get("end_time"),
            exclude_pks=[self.instance.pk],
        )
        if clash:
            raise forms.ValidationError(clash)
        return cleaned_data


@admin.register(Session)
class SessionAdmin(CourseColumns, ScopedHistoryAdmin):
    form = SessionAdminForm
    list_display = (
        "date",
        "part",
        "course_code",
        "topic",
        "kind",
        "lecturer",
        "room",
        "periods",
    )
    list_filter = ("part", "kind", ("lecturer", ScopedRelatedFilter))
    list_select_related = ("course", "topic", "lecturer")
    search_fields = ("course__code", "topic__title", "lecturer__search_key", "room")
    date_hierarchy = "date"
    raw_id_fields = ("course",)
    fieldsets = (
        (None, {"fields": ("course", ("date", "part"), ("start_time", "end_time"))}),
        ("Nội dung", {"fields": ("topic", "kind", "periods", "lecturer", "room")}),
    )

    def related_queryset(self, request, db_field, queryset, context_obj):
        if db_field.name == "topic":
            if context_obj is not None:
                return queryset.filter(course=context_obj.course_id)
            queryset = queryset.exclude(
                course__status__in=[CourseStatus.CLOSED, CourseStatus.CANCELLED]
            )
            return queryset.select_related("course")
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "topic" and getattr(request, "_scoped_context_obj", None) is None:
            # Topics of every open class are offered: say which class each belongs to.
            field.label_from_instance = lambda topic: f"{topic.course.code} – {topic.title}"
        return field


class EnrolmentAdminForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        course = cleaned_data.get("course")
        status = cleaned_data.get("status")
        was_active = self.instance.pk and self.instance.status == EnrolmentStatus.ACTIVE
        moved = self.instance.pk and self.instance.course_id != getattr(course, "pk", None)
        if course is not None and status == EnrolmentStatus.ACTIVE and (not was_active or moved):
            refusal = capacity_refusal(course, 1)
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned_data


@admin.register(Enrolment)
class EnrolmentAdmin(CourseColumns, ScopedHistoryAdmin):
    form = EnrolmentAdminForm
    list_display = (
        "trainee",
        "course_code",
        "unit",
        "status",
        "final_score",
        "classification",
        "passed",
    )
    list_filter = ("status", "classification", "passed", ("course", ScopedRelatedFilter))
    list_select_related = ("trainee", "course", "unit")
    search_fields = ("trainee__search_key", "=trainee__national_id", "course__code")
    search_help_text = "Tìm theo họ tên học viên (có dấu hoặc không dấu), số CCCD hoặc mã lớp."
    raw_id_fields = ("course", "trainee", "unit")
    readonly_fields = ENROLMENT_RESULT_FIELDS
    fieldsets = (
        (
            None,
            {"fields": ("course", "trainee", "unit", "position", "enrolled_at")},
        ),
        ("Tình trạng", {"fields": ("status", "status_reason")}),
        (
            "Kết quả (tính tự động khi kết thúc lớp)",
            {"fields": ENROLMENT_RESULT_FIELDS},
        ),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is not None else fieldsets[:-1]  # no results before enrolling


class AttendanceAdminForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        session, enrolment = cleaned_data.get("session"), cleaned_data.get("enrolment")
        if (
            session is not None
            and enrolment is not None
            and session.course_id != enrolment.course_id
        ):
            raise forms.ValidationError("Học viên được điểm danh phải thuộc lớp của buổi học.")
        return cleaned_data


@admin.register(Attendance)
class AttendanceAdmin(ScopedHistoryAdmin):
    form = AttendanceAdminForm
    manage_right = Right.ATTENDANCE
    list_display = (
        "session_date",
        "session_part",
        "course_code",
        "trainee",
        "status",
        "made_up",
        "note",
    )
    list_filter = ("status", "made_up")
    list_select_related = ("session__course", "enrolment__trainee")
    search_fields = ("enrolment__trainee__search_key", "session__course__code")
    date_hierarchy = "session__date"
    raw_id_fields = ("session", "enrolment")
    fields = ("session", "enrolment", "status", "made_up", "note")

    @admin.display(description="Ngày", ordering="session__date")
    def session_date(self, obj):
        return obj.session.date

    @admin.display(description="Buổi")
    def session_part(self, obj):
        return obj.session.get_part_display()

    @admin.display(description="Lớp", ordering="session__course__code")
    def course_code(self, obj):
        return obj.session.course.code

    @admin.display(description="Học viên", ordering="enrolment__trainee__sort_key")
    def trainee(self, obj):
        return obj.enrolment.trainee


@admin.register(Assessment)
class AssessmentAdmin(CourseColumns, ScopedHistoryAdmin):
    list_display = ("name", "course_code", "order", "weight", "is_final", "has_retake", "grader")
    list_filter = ("is_final", "has_retake", ("grader", ScopedRelatedFilter))
    list_select_related = ("course", "grader")
    search_fields = ("name", "course__code")
    raw_id_fields = ("course",)
    fields = ("course", "order", "name", "weight", "is_final", "has_retake", "grader")


class ScoreAdminForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        enrolment, assessment = cleaned_data.get("enrolment"), cleaned_data.get("assessment")
        if enrolment is not None and assessment is not None:
            if enrolment.course_id != assessment.course_id:
                raise forms.ValidationError("Bài kiểm tra phải thuộc lớp của học viên.")
        return cleaned_data


@admin.register(Score)
class ScoreAdmin(ScopedHistoryAdmin):
    form = ScoreAdminForm
    manage_right = Right.GRADES
    list_display = (
        "trainee",
        "course_code",
        "assessment_name",
        "score",
        "retake_score",
        "updated_at",
        "updated_by_name",
    )
    list_select_related = ("enrolment__trainee", "enrolment__course", "assessment", "updated_by")
    search_fields = (
        "enrolment__trainee__search_key",
        "enrolment__course__code",
        "assessment__name",
    )
    raw_id_fields = ("enrolment", "assessment")
    readonly_fields = ("updated_at", "updated_by", "version")
    fields = (
        "enrolment",
        "assessment",
        "score",
        "retake_score",
        "updated_at",
        "updated_by",
        "version",
    )

    @admin.display(description="Học viên", ordering="enrolment__trainee__sort_key")
    def trainee(self, obj):
        return obj.enrolment.trainee

    @admin.display(description="Lớp", ordering="enrolment__course__code")
    def course_code(self, obj):
        return obj.enrolment.course.code

    @admin.display(description="Bài kiểm tra", ordering="assessment__name")
    def assessment_name(self, obj):
        return obj.assessment.name

    @admin.display(description="Người nhập điểm")
    def updated_by_name(self, obj):
        return obj.updated_by or "—"

    def save_model(self, request, obj, form, change):
        # Whoever edits the grade grid at the same time must see that the score moved on.
        obj.updated_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


# --- certificates ----------------------------------------------------------------------------


@admin.register(Certificate)
class CertificateAdmin(ScopedHistoryAdmin):
    """View-only: certificates are issued, voided and re-issued by the certificate service."""

    read_only = True
    list_display = (
        "number",
        "full_name",
        "date_of_birth",
        "course_code",
        "classification",
        "issued_on",
        "status",
    )
    list_filter = ("status", "year", "classification")
    list_select_related = ()
    search_fields = (
        "number",
        "register_number",
        "=verification_code",
        "enrolment__trainee__search_key",
        "course_code",
    )
    search_help_text = (
        "Tìm theo số, số vào sổ, mã xác thực, họ tên (có dấu hoặc không dấu), mã lớp."
    )
    date_hierarchy = "issued_on"
    fieldsets = (
        (
            "Giấy chứng nhận",
            {
                "fields": (
                    "centre",
                    "number",
                    "register_number",
                    ("year", "sequence"),
                    "issued_on",
                    "verification_code",
                    "status",
                    "layout_version",
                )
            },
        ),
        (
            "Nội dung in trên giấy (lưu lại khi cấp)",
            {
                "fields": (
                    "full_name",
                    "date_of_birth",
                    "unit_name",
                    "course_code",
                    "course_name",
                    "program_name",
                    ("course_start", "course_end"),
                    ("final_score", "classification"),
                )
            },
        ),
        ("Người ký", {"fields": ("signer_title", "signer_name", "issued_by", "created_at")}),
        (
            "Thu hồi, cấp lại",
            {
                "fields": (
                    "enrolment",
                    "replaces",
                    "reissue_reason",
                    "void_reason",
                    "voided_at",
                    "voided_by",
                )
            },
        ),
    )


@admin.register(CertificateCounter)
class CertificateCounterAdmin(ScopedModelAdmin):
    """View-only: the numbering counter is moved by issuing certificates, never by hand."""

    read_only = True
    list_display = ("counter_year", "counter_last_sequence")
    list_select_related = ("centre",)
    fields = ("centre", "year", "last_sequence")

    @admin.display(description="Năm", ordering="year")
    def counter_year(self, obj):
        return obj.year

    @admin.display(description="Số thứ tự đã cấp cuối cùng")
    def counter_last_sequence(self, obj):
        return obj.last_sequence


@admin.register(VerificationFailure)
class VerificationFailureAdmin(ScopedModelAdmin):
    """View-only, and only for those who see every centre: failed public certificate look-ups
    belong to no centre (written by the public page, read when looking into guessing)."""

    read_only = True
    list_display = ("created_at", "address")
    search_fields = ("=address",)
    date_hierarchy = "created_at"
    fields = ("address", "created_at")

    def _may_open(self, request) -> bool:
        return super()._may_open(request) and request.user.sees_all_centres
