"""Accessible names for form fields drawn without a visible label (crispy's table formsets)."""

from django import template

register = template.Library()


@register.filter
def aria_labelled(bound_field):
    """The field, its input named by its label (aria-label): a table formset shows the label
    once in the column header, and a screen reader in a cell would otherwise hear no name.
    The widget belongs to this form instance only (Django copies fields per form)."""
    if bound_field.label and not bound_field.is_hidden:
        bound_field.field.widget.attrs.setdefault("aria-label", str(bound_field.label))
    return bound_field
