"""Table cells on the KPI pages, written as the CSV and XLSX downloads write them."""

from django import template

from metrics import exports

register = template.Library()


@register.filter
def cell_text(value) -> str:
    """The download's text for a value; an empty cell reads as a dash."""
    return exports.text(value) or "–"
