"""Server-rendered horizontal bar charts (SVG): one bar per row and series, labelled with its value,
so a chart reads at 320 px (the viewBox scales) and without colour (every bar carries its number;
the table beside it holds the same figures)."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 600
LABEL_WIDTH = 190
BAR_HEIGHT = 16
GAP = 10
VALUE_ROOM = 110
COLOURS = ("#1e5ba8", "#b54a00")  # Designsystemet-like blue and a dark orange, both ≥ 4.5:1 on white


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    text: str
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    height: int
    bars: list[Bar]
    labels: list[tuple[str, int]]
    legend: list[tuple[str, str, int]]
    label_x: int = LABEL_WIDTH - 8


def bar_chart(*, labels: list[str], series: list[tuple[str, list[Decimal | int], list[str]]]) -> Chart:
    """``series``: (name, values, formatted values) each aligned with ``labels``."""
    largest = max((value for _name, values, _texts in series for value in values), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_ROOM
    group = len(series) * BAR_HEIGHT + GAP
    top = 24 if len(series) > 1 else 4
    bars, label_rows = [], []
    for index, label in enumerate(labels):
        y0 = top + index * group
        label_rows.append((label, y0 + len(series) * BAR_HEIGHT // 2 + 4))
        for number, (_name, values, texts) in enumerate(series):
            width = int(Decimal(span) * Decimal(values[index]) / Decimal(largest))
            y = y0 + number * BAR_HEIGHT
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=y,
                    width=max(width, 1 if values[index] else 0),
                    height=BAR_HEIGHT - 2,
                    colour=COLOURS[number % len(COLOURS)],
                    text=texts[index],
                    text_x=LABEL_WIDTH + width + 4,
                    text_y=y + BAR_HEIGHT - 4,
                )
            )
    legend = [(name, COLOURS[n % len(COLOURS)], LABEL_WIDTH + n * 160) for n, (name, _v, _t) in enumerate(series)]
    return Chart(height=top + len(labels) * group + 4, bars=bars, labels=label_rows, legend=legend if top > 4 else [])
