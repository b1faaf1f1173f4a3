"""Issue 14, item 13 in the markup every page shares: sortable headers say their order on the <th>,
inputs of table formsets are named, the top bar and scroll boxes carry their fixes. The browser
sweep (tests/e2e/test_accessibility.py) runs axe-core over every page; these pin the causes."""

import re

from django.test import Client
from django.urls import reverse

from tests import builders


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_sorted_column_says_its_order_on_its_header_not_on_the_link(staff, course):
    client = signed_in(staff)
    html = client.get(reverse("lophoc:course_list") + "?sap_xep=ma").content.decode()
    assert re.search(
        r'<th scope="col" aria-sort="ascending">\s*<a href="\?sap_xep=-ma">Mã lớp', html
    )
    assert not re.search(r"<a [^>]*aria-sort", html)
    assert html.count("aria-sort=") == 1  # the other columns are not sorted

    html = client.get(reverse("lophoc:course_list") + "?sap_xep=-si_so").content.decode()
    assert '<th scope="col" class="text-end" aria-sort="descending">' in html
    assert html.count("aria-sort=") == 1


def test_every_sortable_list_puts_aria_sort_on_a_header(staff, centre):
    unit = builders.make_unit(centre)
    builders.make_trainee(centre, unit=unit)
    builders.make_lecturer(centre)
    client = signed_in(staff)
    for name in ("hocvien:trainee_list", "hocvien:unit_list", "giangvien:lecturer_list"):
        html = client.get(reverse(name) + "?sap_xep=ten").content.decode()
        assert re.search(
            r'<th scope="col" aria-sort="ascending">\s*<a href="\?sap_xep=-ten"', html
        ), name
        assert not re.search(r"<a [^>]*aria-sort", html), name


def test_inputs_of_a_table_formset_are_named_by_their_column(staff, course):
    html = signed_in(staff).get(reverse("lophoc:course_topics", args=[course.pk])).content.decode()
    inputs = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    visible = [tag for tag in inputs if 'name="form-' in tag and 'type="hidden"' not in tag]
    assert visible
    unnamed = [tag for tag in visible if "aria-label=" not in tag]
    assert not unnamed, unnamed
    assert 'aria-label="Tên chuyên đề"' in html or 'aria-label="Chuyên đề"' in html
    assert "<th for=" not in html


def test_the_top_bar_has_readable_links_and_scroll_boxes_are_made_reachable(staff):
    html = signed_in(staff).get(reverse("home")).content.decode()
    assert 'class="navbar navbar-expand-lg navbar-dark tt-navbar' in html
    assert "bg-primary d-print-none" not in html  # Bootstrap's blue: links at 2.36:1
    assert "js/scroll-regions.js" in html
