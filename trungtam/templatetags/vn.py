"""Template filters for Vietnamese numbers; loaded as builtins (settings TEMPLATES)."""

from django import template

from trungtam.documents.numbers import format_number, format_percent, format_score

register = template.Library()


@register.filter
def vn_number(value, decimals=0):
    return format_number(value, int(decimals))


@register.filter
def vn_percent(value, decimals=1):
    return format_percent(value, decimals=int(decimals))


@register.filter
def vn_score(value):
    return format_score(value)
