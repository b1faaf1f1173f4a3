"""Forms of the timetable screens: one session, and the bulk timetable with its preview."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core import signing
from django.db.models import Q
from django.utils.html import format_html

from giangvien.models import Lecturer
from lophoc.models import Course, Session, SessionKind, SessionPart, Topic
from lophoc.timetable import PART_WINDOWS, part_of_time, session_problems
from trungtam.forms import DATE_HINT, VietnameseKeys, date_input

DATE_HELP = f"Dạng {DATE_HINT}, ví dụ 02/03/2026."
DATE_ERRORS = {
    "required": f"Hãy nhập ngày theo dạng {DATE_HINT}.",
    "invalid": f"Ngày không hợp lệ: hãy nhập theo dạng {DATE_HINT}, ví dụ 02/03/2026.",
}
TIME_ERRORS = {"invalid": "Giờ không hợp lệ: hãy nhập theo dạng giờ:phút, ví dụ 07:30."}
PLAN_SALT = "lophoc.timetable_bulk"
PLAN_MAX_AGE = 6 * 3600  # seconds a preview stays valid


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        help_text=DATE_HELP,
        error_messages=DATE_ERRORS,
        widget=date_input(),
        **kwargs,
    )


def _time_field(label):
    return forms.TimeField(
        label=label,
        required=False,
        error_messages=TIME_ERRORS,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )


def _lecturer_choices(course: Course, current_id=None):
    """Active lecturers of the class's centre (and the one already chosen, if no longer active)."""
    return Lecturer.objects.filter(centre_id=course.centre_id).filter(
        Q(active=True) | Q(pk=current_id or 0)
    )


def _part_windows_help() -> str:
    windows = "; ".join(
        f"{SessionPart(part).label.lower()} {start:%H:%M}–{end:%H:%M}"
        for part, (start, end) in PART_WINDOWS.items()
    )
    return f"Để trống giờ thì buổi học tính theo giờ thường lệ: {windows}."


class SessionForm(forms.ModelForm):
    date = _date_field("Ngày học")
    part = forms.ChoiceField(
        label="Buổi",
        required=False,
        choices=[("", "— Theo giờ bắt đầu —"), *SessionPart.choices],
        help_text="Chọn buổi, hoặc để trống và nhập giờ bắt đầu, kết thúc.",
    )
    start_time = _time_field("Giờ bắt đầu")
    end_time = _time_field("Giờ kết thúc")
    periods = forms.IntegerField(
        label="Số tiết",
        min_value=1,
        max_value=12,
        initial=4,
        error_messages={
            "required": "Hãy nhập số tiết của buổi (từ 1 đến 12).",
            "invalid": "Số tiết là một số nguyên từ 1 đến 12.",
            "min_value": "Số tiết phải từ 1 đến 12.",
            "max_value": "Số tiết phải từ 1 đến 12.",
        },
    )

    class Meta:
        model = Session
        fields = [
            "date",
            "part",
            "start_time",
            "end_time",
            "topic",
            "kind",
            "lecturer",
            "room",
            "periods",
        ]

    def __init__(self, *args, course: Course, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.instance.course = course
        self.fields["topic"].queryset = course.topics.order_by("order", "id")
        self.fields["topic"].empty_label = "— Không theo chuyên đề —"
        self.fields["lecturer"].queryset = _lecturer_choices(course, self.instance.lecturer_id)
        self.fields["lecturer"].empty_label = "— Chưa phân công —"
        self.fields["room"].help_text = "Ví dụ: Hội trường A, Phòng 2."
        self.fields["end_time"].help_text = _part_windows_help()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("date", css_class="col-sm-6"), Column("part", css_class="col-sm-6")),
            Row(
                Column("start_time", css_class="col-6"),
                Column("end_time", css_class="col-6"),
            ),
            Field("topic"),
            Row(Column("kind", css_class="col-sm-8"), Column("periods", css_class="col-sm-4")),
            Row(Column("lecturer", css_class="col-sm-7"), Column("room", css_class="col-sm-5")),
            Submit("submit", "Lưu buổi học"),
        )
        if self.instance.pk is None:
            self.helper.layout.append(
                HTML(
                    '<button type="submit" name="them_tiep" class="btn btn-outline-primary">'
                    "Lưu và thêm buổi khác</button>"
                )
            )
        self.helper.layout.append(
            HTML(format_html('<a class="btn btn-link" href="{}">Quay lại lớp</a>', cancel_url))
        )

    def clean(self):
        data = super().clean()
        start, end, part = data.get("start_time"), data.get("end_time"), data.get("part")
        if (start is None) != (end is None) and not (
            self.has_error("start_time") or self.has_error("end_time")
        ):
            missing = "end_time" if end is None else "start_time"
            self.add_error(
                missing, "Hãy nhập cả giờ bắt đầu và giờ kết thúc, hoặc để trống cả hai."
            )
        elif start is not None and end is not None:
            if end <= start:
                self.add_error("end_time", "Giờ kết thúc phải sau giờ bắt đầu.")
            elif part and part_of_time(start) != part:
                label = SessionPart(part_of_time(start)).label.lower()
                self.add_error(
                    "part",
                    f"Giờ bắt đầu {start:%H:%M} thuộc buổi {label}: hãy chọn đúng buổi, "
                    "hoặc để trống để tự xác định theo giờ.",
                )
        if not part:
            if start is not None:
                data["part"] = part_of_time(start)
            elif not self.has_error("start_time"):
                self.add_error("part", "Hãy chọn buổi (sáng, chiều, tối) hoặc nhập giờ học.")
        if self.errors:
            return data
        probe = Session(
            pk=self.instance.pk,
            course=self.course,
            date=data.get("date"),
            part=data.get("part"),
            start_time=start,
            end_time=end,
            topic=data.get("topic"),
            lecturer=data.get("lecturer"),
            room=data.get("room") or "",
            periods=data.get("periods") or 0,
            kind=data.get("kind") or SessionKind.LECTURE,
        )
        for name, messages in session_problems(probe).items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return data


class TimetableBulkForm(forms.Form):
    start = _date_field("Từ ngày")
    end = _date_field("Đến ngày")
    parts = forms.MultipleChoiceField(
        label="Xếp vào các buổi",
        choices=SessionPart.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Hãy chọn ít nhất một buổi (sáng, chiều hoặc tối)."},
    )
    lecturer = forms.ModelChoiceField(
        label="Giảng viên",
        queryset=Lecturer.objects.none(),
        required=False,
        empty_label="— Phân công sau —",
    )
    room = forms.CharField(label="Phòng học", max_length=100, required=False)
    periods_per_session = forms.IntegerField(
        label="Số tiết mỗi buổi",
        min_value=1,
        max_value=12,
        initial=4,
        error_messages={
            "required": "Hãy nhập số tiết mỗi buổi (từ 1 đến 12).",
            "invalid": "Số tiết là một số nguyên từ 1 đến 12.",
            "min_value": "Số tiết mỗi buổi phải từ 1 đến 12.",
            "max_value": "Số tiết mỗi buổi phải từ 1 đến 12.",
        },
    )
    kind = forms.ChoiceField(
        label="Hình thức", choices=SessionKind.choices, initial=SessionKind.LECTURE
    )

    def __init__(self, *args, course: Course, cancel_url: str, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "start": course.start_date,
                "end": course.end_date,
                "parts": [SessionPart.MORNING, SessionPart.AFTERNOON],
                "periods_per_session": 4,
                "kind": SessionKind.LECTURE,
            },
        )
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["lecturer"].queryset = _lecturer_choices(course)
        self.fields["lecturer"].label = "Giảng viên chung"
        self.fields[
            "lecturer"
        ].help_text = "Dạy mọi chuyên đề không chọn giảng viên riêng dưới đây."
        # One lecturer per topic when several teach the class (chuyên đề 1: A, chuyên đề 2: B…).
        self.topic_fields: list[tuple[Topic, str]] = []
        for topic in course.topics.order_by("order", "id"):
            name = f"giang_vien_{topic.pk}"
            self.fields[name] = forms.ModelChoiceField(
                label=f"{topic.order}. {topic.title}",
                queryset=_lecturer_choices(course),
                required=False,
                empty_label="— Giảng viên chung —",
            )
            self.topic_fields.append((topic, name))
        self.fields["start"].help_text = self.fields["end"].help_text = (
            f"Trong thời gian học của lớp: {course.start_date:%d/%m/%Y} – "
            f"{course.end_date:%d/%m/%Y}."
        )
        self.fields["room"].help_text = "Để trống nếu chưa xếp phòng."
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("start", css_class="col-sm-6"), Column("end", css_class="col-sm-6")),
            Field("parts"),
            Row(
                Column("periods_per_session", css_class="col-sm-4"),
                Column("kind", css_class="col-sm-8"),
            ),
            Row(Column("lecturer", css_class="col-sm-7"), Column("room", css_class="col-sm-5")),
            Fieldset(
                "Giảng viên từng chuyên đề (nếu khác giảng viên chung)",
                *[name for _, name in self.topic_fields],
            ),
            Submit("xem_truoc", "Xem trước"),
            HTML(format_html('<a class="btn btn-link" href="{}">Quay lại lớp</a>', cancel_url)),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        course = self.course
        if start and end:
            if end < start:
                self.add_error("end", "Ngày kết thúc phải từ ngày bắt đầu trở đi.")
            elif start < course.start_date or end > course.end_date:
                self.add_error(
                    None,
                    f"Khoảng ngày phải nằm trong thời gian học của lớp "
                    f"({course.start_date:%d/%m/%Y} – {course.end_date:%d/%m/%Y}).",
                )
        if not self.topic_fields:
            self.add_error(
                None,
                "Lớp chưa có chuyên đề nào: hãy thêm chuyên đề cho lớp trước, "
                "rồi lập thời khóa biểu.",
            )
        return data


def topic_lecturers(form: TimetableBulkForm) -> dict:
    """Topic id → the lecturer chosen for it (topics left to the general lecturer omitted)."""
    return {
        topic.pk: form.cleaned_data[name]
        for topic, name in form.topic_fields
        if form.cleaned_data.get(name) is not None
    }


def plan_sign(data: dict) -> str:
    return signing.dumps(data, salt=PLAN_SALT, compress=True)


class TimetableConfirmForm(VietnameseKeys, forms.Form):
    """The previewed plan, signed, so the confirm step creates exactly what was shown."""

    keys = {"plan": "ke_hoach"}

    plan = forms.CharField(widget=forms.HiddenInput)

    def clean_plan(self):
        try:
            return signing.loads(self.cleaned_data["plan"], salt=PLAN_SALT, max_age=PLAN_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(
                "Bản xem trước không hợp lệ hoặc đã quá hạn; hãy xem trước lại."
            ) from None
