"""The grade grid POST fed random cells and tampered hidden fields: never a server error; a save
writes exactly what was typed, a refusal writes nothing and says which cell is wrong."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from lophoc.models import Score
from lophoc.scores import parse_score
from tests.property.support import (
    PROPERTY,
    changed_tables,
    example,
    fingerprint,
    is_vietnamese,
    main_form,
    nasty_text,
    score_value,
)

CRAFTED_KEYS = [
    "diem_999999_1",
    "diem_1_1_tl_x",
    "diem_" + "9" * 5000 + "_1",
    "diem_١_٢",
    "pb_1_1",
    "goc_1_1",
]


def typed(value) -> str:
    return "" if value is None else str(value)


@st.composite
def grid_posts(draw, fields: dict[str, list[str]]):
    data = {}
    for name, offered in fields.items():
        current = offered[0] if offered else ""
        if name.startswith("diem_"):
            data[name] = draw(st.one_of(st.just(current), score_value.map(typed)))
        elif name.startswith(("goc_", "pb_")):
            data[name] = draw(st.one_of(st.just(current), st.just(current), nasty_text))
        else:
            data[name] = current
    for key in draw(st.lists(st.sampled_from(CRAFTED_KEYS), max_size=2)):
        data[key] = draw(score_value.map(typed))
    return data


def stored() -> dict[tuple[int, int], tuple]:
    return {
        (s.enrolment_id, s.assessment_id): (s.score, s.retake_score) for s in Score.objects.all()
    }


def cell_value(name: str):
    enrolment, assessment, *retake = name.removeprefix("diem_").split("_")
    values = stored().get((int(enrolment), int(assessment)), (None, None))
    return values[1] if retake else values[0]


def test_the_grid_saves_what_was_typed_or_refuses_and_writes_nothing(world, client):
    url = reverse("lophoc:grade_grid", args=[world.course.pk])
    client.force_login(world.staff)
    form = main_form(client.get(url).content.decode(), needs=None)
    fields = {name: values for name, values in form["fields"].items() if "_" in name}
    assert any(name.startswith("diem_") for name in fields)

    @PROPERTY
    @given(data=grid_posts(fields))
    def post_anything(data):
        with example():
            client.force_login(world.staff)
            before = fingerprint()
            response = client.post(url, data)
            status = response.status_code
            if status == 302:
                for name, value in data.items():
                    if name in fields and name.startswith("diem_"):
                        assert cell_value(name) == parse_score(value), name
                return
            assert changed_tables(before, fingerprint()) == [], status
            assert status in (200, 400, 403), status
            if status != 200:
                return
            messages = [str(m) for m in response.context["messages"]]
            assert messages and all(map(is_vietnamese, messages)), messages
            wrong = [
                (cell.name, cell.error)
                for row in response.context["rows"]
                for cell in row.cells
                if cell.error
            ]
            for name, error in wrong:
                assert is_vietnamese(error), error
                try:
                    parse_score(data[f"diem_{name}"])
                except ValidationError:
                    pass
                else:
                    raise AssertionError(f"{name}: a valid score marked wrong: {error}")

    post_anything()
