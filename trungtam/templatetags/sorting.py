"""Sortable table headers: the sort order is said on the <th> (aria-sort), where ARIA allows it.

<th scope="col"{% aria_sort "ma" %}>{% include "includes/sort_link.html" with key="ma" label="Mã lớp" %}</th>
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def aria_sort(context, key: str) -> str:
    """` aria-sort="ascending"` or `"descending"` on the column the list is sorted by, else ""."""
    sort = context.get("sort")
    if sort == key:
        return format_html(' aria-sort="{}"', "ascending")
    if sort == f"-{key}":
        return format_html(' aria-sort="{}"', "descending")
    return ""
