"""Table cells on the KPI pages, written as the CSV and XLSX downloads write them."""

from django import template
from django.utils.html import format_html

from metrics import exports

register = template.Library()


@register.filter
def cell_text(value) -> str:
    """The download's text for a value; an empty cell reads as a dash."""
    return exports.text(value) or "–"


@register.filter
def lookup(mapping, key):
    """``mapping[key]`` in a template (None when absent)."""
    return mapping.get(key) if mapping else None


SPARK_WIDTH, SPARK_HEIGHT = 72, 18


@register.filter
def sparkline(values):
    """An inline SVG line of a year's monthly values (months without a value are gaps in
    the x axis, not zeros); empty when fewer than two values exist."""
    points = [(i, float(v)) for i, v in enumerate(values or []) if v is not None]
    if len(points) < 2:
        return ""
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = (high - low) or 1.0
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    path = " ".join(
        f"{i * step:.1f},{SPARK_HEIGHT - 1 - (v - low) / span * (SPARK_HEIGHT - 2):.1f}"
        for i, v in points
    )
    return format_html(
        '<svg class="cf-sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="Trend over 12 months, from {} to {}" focusable="false">'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/></svg>',
        SPARK_WIDTH, SPARK_HEIGHT, SPARK_WIDTH, SPARK_HEIGHT,
        f"{points[0][1]:g}", f"{points[-1][1]:g}", path,
    )  # fmt: skip
