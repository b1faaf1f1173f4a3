"""Forms of the follow-up: the centre's delay and a unit's answer (one row per person sent)."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from hieuqua.followups import AnswerInput
from hieuqua.models import MAX_DELAY_MONTHS, MIN_DELAY_MONTHS, Rating
from trungtam.forms import VietnameseKeys

RATING_KEY = "danh_gia"
NOTE_KEY = "ghi_chu"
ROW_KEY = re.compile(rf"^(?:{RATING_KEY}|{NOTE_KEY})_(\d+)$")


class SettingForm(VietnameseKeys, forms.Form):
    keys = {"delay_months": "so_thang"}

    delay_months = forms.IntegerField(
        label="Đánh giá hiệu quả sau khi lớp kết thúc (số tháng)",
        help_text=f"Từ {MIN_DELAY_MONTHS} đến {MAX_DELAY_MONTHS} tháng; mặc định 3.",
        error_messages={
            "required": "Hãy nhập số tháng, từ 3 đến 6.",
            "invalid": "Hãy nhập số tháng là một số nguyên, từ 3 đến 6.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Lưu"))

    def clean_delay_months(self):
        value = self.cleaned_data["delay_months"]
        if not MIN_DELAY_MONTHS <= value <= MAX_DELAY_MONTHS:
            raise forms.ValidationError(
                f"Số tháng phải từ {MIN_DELAY_MONTHS} đến {MAX_DELAY_MONTHS} (đã nhập {value}): "
                "đơn vị cần đủ thời gian thấy học viên vận dụng, nhưng không quá nửa năm."
            )
        return value


class AnswerForm(VietnameseKeys, forms.Form):
    """One rating (required) and one note per enrolment asked about. Any row key naming another
    enrolment (a crafted POST) refuses the whole form."""

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        self.keys = {}
        for enrolment in self.enrolments:
            current = getattr(enrolment, "followup_answer", None)
            rating, note = f"rating_{enrolment.pk}", f"note_{enrolment.pk}"
            self.keys[rating] = f"{RATING_KEY}_{enrolment.pk}"
            self.keys[note] = f"{NOTE_KEY}_{enrolment.pk}"
            self.fields[rating] = forms.ChoiceField(
                label=enrolment.trainee.full_name,
                choices=Rating.choices,
                widget=forms.RadioSelect,
                initial=current.rating if current else None,
                error_messages={
                    "required": f"{enrolment.trainee.full_name}: hãy chọn Tốt, Khá hoặc Chưa rõ.",
                    "invalid_choice": f"{enrolment.trainee.full_name}: hãy chọn Tốt, Khá hoặc "
                    "Chưa rõ.",
                },
            )
            self.fields[note] = forms.CharField(
                label=f"Ghi chú – {enrolment.trainee.full_name}",
                required=False,
                max_length=500,
                initial=current.note if current else "",
                error_messages={
                    "max_length": f"{enrolment.trainee.full_name}: ghi chú dài quá 500 ký tự."
                },
            )

    def clean(self):
        allowed = {e.pk for e in self.enrolments}
        for key in self.data:
            found = ROW_KEY.match(key)
            if found and int(found.group(1)) not in allowed:
                raise forms.ValidationError(
                    "Phiếu có học viên không thuộc đơn vị hoặc lớp này; không lưu gì. Hãy tải lại "
                    "trang rồi nhập lại."
                )
        return super().clean()

    def rows(self) -> list[dict]:
        return [
            {
                "enrolment": e,
                "answer": getattr(e, "followup_answer", None),
                "rating": self[f"rating_{e.pk}"],
                "note": self[f"note_{e.pk}"],
            }
            for e in self.enrolments
        ]

    def answers(self) -> list[AnswerInput]:
        return [
            AnswerInput(
                enrolment_id=e.pk,
                rating=self.cleaned_data[f"rating_{e.pk}"],
                note=self.cleaned_data[f"note_{e.pk}"],
            )
            for e in self.enrolments
        ]
