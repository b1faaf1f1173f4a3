"""VietnameseKeys: English field names in code, the Vietnamese keys people bookmark on the wire."""

from django import forms

from trungtam.forms import VietnameseKeys


class ReasonForm(VietnameseKeys, forms.Form):
    keys = {"reason": "ly_do", "unit": "don_vi"}

    reason = forms.CharField()
    unit = forms.CharField(required=False)
    note = forms.CharField(required=False)


def test_data_is_read_under_the_vietnamese_key_and_cleaned_under_the_english_name():
    form = ReasonForm({"ly_do": "Đổi lịch", "don_vi": "Xã A", "note": "x"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"reason": "Đổi lịch", "unit": "Xã A", "note": "x"}


def test_the_english_name_on_the_wire_is_not_read():
    form = ReasonForm({"reason": "Đổi lịch"})
    assert not form.is_valid()
    assert list(form.errors) == ["reason"]


def test_html_name_and_id_carry_the_key():
    html = str(ReasonForm()["reason"])
    assert 'name="ly_do"' in html
    assert 'id="id_ly_do"' in html


def test_a_prefix_still_applies():
    form = ReasonForm({"p-ly_do": "Có"}, prefix="p")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reason"] == "Có"
