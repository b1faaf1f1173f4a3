"""Forms of the evaluation: the answer (public with its code, or a paper form typed by staff),
the code box, and the centre's questions."""

from django import forms

from danhgia.evaluations import COMMENTS_LENGTH, FormContent, MarkInput
from danhgia.models import GROUP_ORDER, MARK_LABELS, NO_OPINION_LABEL, Question, QuestionGroup
from trungtam.forms import VietnameseKeys

NO_OPINION = "0"
MARK_CHOICES = [(str(value), MARK_LABELS[value]) for value in range(5, 0, -1)] + [
    (NO_OPINION, NO_OPINION_LABEL)
]


class CodeForm(VietnameseKeys, forms.Form):
    keys = {"code": "ma"}

    code = forms.CharField(
        label="Mã phiếu",
        max_length=20,
        help_text="8 ký tự in trên phiếu, ví dụ K7MP-2XQA (không phân biệt chữ hoa, chữ thường).",
        error_messages={"required": "Hãy nhập mã in trên phiếu."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


def mark_field_name(question: Question, lecturer=None) -> str:
    return f"cau_{question.pk}" + (f"_gv_{lecturer.pk}" if lecturer else "")


class AnswerForm(forms.Form):
    """The questions of the centre's form, the lecturer questions once per lecturer of the class.
    Only fields built from the class are read: a crafted field (another lecturer, another
    question) is ignored."""

    comments = forms.CharField(
        label="Ý kiến khác, đề xuất (không bắt buộc)",
        required=False,
        max_length=COMMENTS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Ý kiến dài quá: tối đa {COMMENTS_LENGTH} ký tự, hãy viết gọn lại."
        },
    )

    def __init__(self, *args, content: FormContent, **kwargs):
        super().__init__(*args, **kwargs)
        self.content = content
        self.keyed: dict[str, tuple[Question, object]] = {}
        for question in content.questions:
            targets = content.lecturers if question.group == QuestionGroup.LECTURER else [None]
            for lecturer in targets:
                name = mark_field_name(question, lecturer)
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=MARK_CHOICES,
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": "Hãy chọn một mức trong danh sách."},
                )
                self.keyed[name] = (question, lecturer)

    def add_prefix(self, field_name):
        return "y_kien" if field_name == "comments" else super().add_prefix(field_name)

    def blocks(self) -> list[dict]:
        """The form in display order: the groups, a block per lecturer in place of the lecturer
        group, each with its bound fields."""
        blocks = []
        for group in GROUP_ORDER:
            questions = [q for q in self.content.questions if q.group == group]
            if not questions:
                continue
            if group == QuestionGroup.LECTURER:
                for lecturer in self.content.lecturers:
                    blocks.append(
                        {
                            "title": f"Giảng viên {lecturer.full_name}",
                            "key": f"gv-{lecturer.pk}",
                            "fields": [self[mark_field_name(q, lecturer)] for q in questions],
                        }
                    )
            else:
                blocks.append(
                    {
                        "title": QuestionGroup(group).label,
                        "key": group,
                        "fields": [self[mark_field_name(q)] for q in questions],
                    }
                )
        return blocks

    def marks(self) -> list[MarkInput]:
        marks = []
        for name, (question, lecturer) in self.keyed.items():
            chosen = self.cleaned_data.get(name)
            if chosen in (None, ""):
                continue
            value = None if chosen == NO_OPINION else int(chosen)
            marks.append(MarkInput(question, lecturer, value))
        return marks


class NewQuestionForm(VietnameseKeys, forms.Form):
    keys = {"group": "nhom", "text": "noi_dung"}

    group = forms.ChoiceField(
        label="Nhóm",
        choices=QuestionGroup.choices,
        error_messages={
            "required": "Hãy chọn nhóm câu hỏi.",
            "invalid_choice": "Hãy chọn một nhóm trong danh sách.",
        },
    )
    text = forms.CharField(
        label="Nội dung câu hỏi mới",
        max_length=300,
        error_messages={
            "required": "Hãy nhập nội dung câu hỏi.",
            "max_length": "Câu hỏi dài quá: tối đa 300 ký tự.",
        },
    )


class QuestionEditForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "order", "active"]
        error_messages = {
            "text": {
                "required": "Hãy nhập nội dung câu hỏi (muốn bỏ câu hỏi thì bỏ chọn «Đang dùng»).",
                "max_length": "Câu hỏi dài quá: tối đa 300 ký tự.",
            },
            "order": {
                "required": "Hãy nhập thứ tự bằng số, ví dụ 1.",
                "invalid": "Hãy nhập thứ tự bằng số, ví dụ 1.",
            },
        }

    def add_prefix(self, field_name):
        # Vietnamese keys per question: noi_dung_12, thu_tu_12, dang_dung_12.
        key = {"text": "noi_dung", "order": "thu_tu", "active": "dang_dung"}.get(field_name)
        return f"{key}_{self.instance.pk}" if key else field_name
