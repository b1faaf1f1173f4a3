"""Saving a centre's certificate layout: a change makes a new version, no change keeps it."""

import pytest

from lophoc.certificates import certificate_layout_save


@pytest.mark.django_db
def test_a_change_makes_a_new_layout_version(centre):
    version = centre.certificate_layout_version

    changed = certificate_layout_save(
        centre=centre, page_size="a5", positions={"full_name": [80.0, 60.5]}
    )

    centre.refresh_from_db()
    assert changed is True
    assert centre.certificate_layout_version == version + 1
    assert (centre.certificate_page_size, centre.certificate_blank_positions) == (
        "a5",
        {"full_name": [80.0, 60.5]},
    )


@pytest.mark.django_db
def test_saving_the_same_layout_keeps_the_version(centre):
    version = centre.certificate_layout_version

    changed = certificate_layout_save(
        centre=centre, page_size=centre.certificate_page_size, positions={}
    )

    centre.refresh_from_db()
    assert changed is False
    assert centre.certificate_layout_version == version
