"""Charts for the report pages: SVG drawn on the server by pygal from a report's table.

The SVG is inline and carries no script: pygal's tooltips would need a script from its CDN,
and the Content-Security-Policy allows no inline script, so even pygal's inline config script
is taken out. It is hidden from screen readers: the same figures are in the accessible table
beneath each chart.
"""

from __future__ import annotations

import pygal
from markupsafe import Markup
from pygal.style import Style

from .queries import Report

# GOV.UK Design System colours: blue, orange, turquoise, purple, green, pink.
GOVUK_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#b1b4b6",
    colors=("#1d70b8", "#f47738", "#28a197", "#4c2c92", "#00703c", "#d53880"),
    font_family="Arial, sans-serif",
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
    value_label_font_size=15,
    legend_font_size=16,
    title_font_size=18,
    tooltip_font_size=14,
)


def _without_scripts(root):
    """pygal always writes an inline config script, whatever its `js` option; drop it."""
    for parent in list(root.iter()):
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


COMMON = {
    "style": GOVUK_STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "show_legend": True,
    "legend_at_bottom": True,
    # One legend entry a line: side by side, the second ran past the drawing's right edge
    # when long funder names left the plot narrow.
    "legend_at_bottom_columns": 1,
    "print_values": True,
    "print_zeroes": False,
    # About the width of the page's content column, so text is drawn near its real size.
    "width": 640,
    "margin": 16,
    "truncate_label": 40,
    "truncate_legend": 40,
}

# Which table columns each report charts, and how.
CHARTS: dict[str, tuple[str, tuple[int, ...]]] = {
    "cases": ("horizontal", (1,)),
    "levels": ("stacked", (1, 2)),
    "time-to-resolution": ("bar", (2, 3)),
    "outcomes": ("horizontal", (1,)),
    "areas": ("horizontal", (1,)),
    "funders": ("horizontal", (1, 2)),
    "trend": ("line", (1, 2)),
    "compliance": ("horizontal", (1, 2)),
    "business-case": ("horizontal", (1, 2, 3)),
}


def chart(report: Report) -> Markup | None:
    """The report's chart as inline SVG, or None when there is nothing to draw."""
    if report.is_empty or report.name not in CHARTS:
        return None
    kind, columns = CHARTS[report.name]
    rows = report.rows
    if report.name in ("funders", "compliance"):
        # The ten funders with most cases; the table beneath lists every one.
        rows = rows[:10]
    labels = [str(row[0]) for row in rows]
    horizontal = kind == "horizontal" or (kind == "stacked" and len(rows) > 3)
    height = max(280, 44 * len(rows) + 120) if horizontal else 400
    options = {**COMMON, "height": height, "x_labels": labels}
    if kind == "horizontal":
        drawing = pygal.HorizontalBar(**options)
        drawing.x_labels = list(reversed(labels))
    elif kind == "stacked":
        drawing = pygal.StackedBar(**options)
    elif kind == "line":
        drawing = pygal.Line(
            **options,
            x_label_rotation=45,
            dots_size=5,
            stroke_style={"width": 3},
        )
    else:
        drawing = pygal.Bar(**options)
    drawing.add_xml_filter(_without_scripts)
    for column in columns:
        values = [row[column] for row in rows]
        if kind == "horizontal":
            values = list(reversed(values))
        drawing.add(report.columns[column], values)
    svg = drawing.render(is_unicode=True)
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
