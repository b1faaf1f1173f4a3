"""Lecturer services: adding and correcting a record after the model's own checks."""

import pytest
from django.core.exceptions import ValidationError

from giangvien.lecturers import lecturer_create, lecturer_update
from giangvien.models import Lecturer
from tests import builders


@pytest.mark.django_db
def test_create_stores_the_lecturer_with_its_keys_and_who_added_it(centre, staff):
    lecturer = Lecturer(centre=centre, full_name="  Trần   Văn Bình ", kind="guest")

    saved = lecturer_create(lecturer=lecturer, user=staff)

    stored = Lecturer.objects.get(pk=saved.pk)
    assert (stored.full_name, stored.search_key) == ("Trần Văn Bình", "tran van binh")
    assert stored.history.get().history_user == staff


@pytest.mark.django_db
def test_create_refuses_what_the_model_refuses_and_writes_nothing(centre):
    lecturer = Lecturer(centre=centre, full_name="Trần Văn Bình", kind="không có loại này")

    with pytest.raises(ValidationError) as refused:
        lecturer_create(lecturer=lecturer)

    assert "kind" in refused.value.message_dict
    assert not Lecturer.objects.exists()


@pytest.mark.django_db
def test_update_keeps_who_changed_the_record(centre, staff):
    lecturer = builders.make_lecturer(centre, full_name="Trần Văn Bình")
    lecturer.workplace = "Trường Chính trị tỉnh"

    lecturer_update(lecturer=lecturer, user=staff)

    latest = Lecturer.objects.get(pk=lecturer.pk).history.first()
    assert (latest.workplace, latest.history_user) == ("Trường Chính trị tỉnh", staff)


@pytest.mark.django_db
def test_update_refuses_a_bad_email_and_keeps_the_stored_one(centre):
    lecturer = builders.make_lecturer(centre, email="binh@example.vn")
    lecturer.email = "không phải thư"

    with pytest.raises(ValidationError) as refused:
        lecturer_update(lecturer=lecturer)

    assert "email" in refused.value.message_dict
    assert Lecturer.objects.get(pk=lecturer.pk).email == "binh@example.vn"
