"""Charts drawn on the server as inline SVG: no script, no CDN, every label escaped."""

from collections.abc import Sequence
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 190
VALUE_WIDTH = 48
HBAR_WIDTH = 560


def horizontal_bars(
    rows: Sequence[tuple[str, int]], *, title: str, css_class: str = "bar", empty: str = ""
) -> SafeString:
    """One bar per row, labelled on the left, its value on the right; `empty` when no rows."""
    if not rows:
        return format_html('<p class="dashboard-empty">{}</p>', empty or "Nothing yet.")
    biggest = max(value for _, value in rows) or 1
    track = HBAR_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(rows) * (BAR_HEIGHT + BAR_GAP)
    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><title>{}: {}</title>'
        '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="{}" x="{}" y="0" width="{}" height="{}" rx="3"></rect>'
        '<text class="chart-value" x="{}" y="{}">{}</text></g>',
        (
            (
                i * (BAR_HEIGHT + BAR_GAP),
                label,
                value,
                LABEL_WIDTH - 8,
                BAR_HEIGHT * 0.7,
                _shorten(label, 28),
                css_class,
                LABEL_WIDTH,
                max(2, round(track * value / biggest)) if value else 0,
                BAR_HEIGHT,
                LABEL_WIDTH + (round(track * value / biggest) if value else 0) + 6,
                BAR_HEIGHT * 0.7,
                value,
            )
            for i, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'preserveAspectRatio="xMinYMin meet"><title>{}</title>{}</svg>',
        title,
        HBAR_WIDTH,
        height,
        title,
        bars,
    )


COLUMN_WIDTH = 760
COLUMN_HEIGHT = 200
AXIS = 28


def daily_columns(
    days: Sequence[date], series: Sequence[tuple[str, Sequence[int], str]], *, title: str
) -> SafeString:
    """Grouped columns per day, one colour per series (name, values, css class), with a legend."""
    biggest = max((max(values, default=0) for _, values, _ in series), default=0) or 1
    plot_height = COLUMN_HEIGHT - AXIS
    slot = (COLUMN_WIDTH - AXIS) / max(1, len(days))
    bar = max(2.0, (slot - 6) / max(1, len(series)))
    columns = []
    for d, day in enumerate(days):
        for s, (name, values, css_class) in enumerate(series):
            value = values[d]
            height = round(plot_height * value / biggest, 1)
            columns.append(
                (
                    css_class,
                    round(AXIS + d * slot + 3 + s * bar, 1),
                    round(plot_height - height, 1),
                    round(bar - 1, 1),
                    height,
                    name,
                    day.strftime("%d %b"),
                    value,
                )
            )
    bars = format_html_join(
        "",
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}, {}: {}</title></rect>',
        columns,
    )
    ticks = format_html_join(
        "",
        '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (round(AXIS + d * slot + slot / 2, 1), COLUMN_HEIGHT - 8, day.strftime("%d %b"))
            for d, day in enumerate(days)
            if d % max(1, len(days) // 7) == 0 or d == len(days) - 1
        ),
    )
    legend = format_html_join(
        "",
        '<span class="chart-key"><span class="chart-swatch {}"></span>{}</span>',
        ((css_class, name) for name, _, css_class in series),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'preserveAspectRatio="xMinYMin meet"><title>{}</title>'
        '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
        '<text class="chart-tick" x="{}" y="12" text-anchor="end">{}</text>{}{}</svg>'
        '<div class="chart-legend">{}</div>',
        title,
        COLUMN_WIDTH,
        COLUMN_HEIGHT,
        title,
        AXIS,
        plot_height,
        COLUMN_WIDTH,
        plot_height,
        AXIS - 4,
        biggest,
        bars,
        ticks,
        legend,
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
