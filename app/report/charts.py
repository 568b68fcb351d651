"""The activity report's charts, drawn offline as PNG images with Pillow (nothing fetched, no JavaScript).

One image serves both outputs: the DOCX embeds it (the staff can move or
replace it before the general assembly), the PDF draws it. Pillow is already
there (fpdf2 needs it); the font is the DejaVu Sans the PDFs embed, so « é »
and « € » print. Drawn at twice the printed size for a sharp print.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from app.documents.render import ACCENT, FONT_DIR, FONT_FILES, INK, SOFT
from app.plugins import ReportChart

WIDTH = 1600
BACKGROUND = (255, 255, 255)
GRID = (222, 226, 230)
#: At most this many bars in one chart: a longer list is cut with « … et N autres ».
MAX_BARS = 25


@lru_cache(maxsize=8)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / FONT_FILES["B" if bold else ""]), size)


def french_value(value, unit: str = "") -> str:
    """« 48 230 », « 3,5 », « 1 200,50 € »: a number as the report prints it."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        text = f"{int(number):,}".replace(",", "\u202f")
    else:
        text = f"{number:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0{unit}" if unit else text


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _png(image: Image.Image) -> bytes:
    """A palette PNG: a chart has a few colours, so 64 keep the anti-aliased text and the file small and quick to embed."""
    buffer = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG")
    return buffer.getvalue()


def bar_chart(chart: ReportChart) -> bytes:
    """Horizontal bars, one per label, the value written after each bar."""
    labels, shown = list(chart.labels), list(chart.values)
    if len(labels) > MAX_BARS:
        hidden = len(labels) - MAX_BARS + 1
        labels = labels[: MAX_BARS - 1] + [f"… et {hidden} autres"]
        shown = shown[: MAX_BARS - 1] + [sum(Decimal(str(value or 0)) for value in shown[MAX_BARS - 1 :])]
    values = [float(value or 0) for value in shown]
    row, top, bottom = 56, 90, 30
    image = Image.new("RGB", (WIDTH, top + bottom + row * max(len(labels), 1)), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((30, 24), chart.title, font=_font(34, True), fill=ACCENT)
    label_font, value_font = _font(26), _font(26, True)
    label_width = min(560, max([int(draw.textlength(label, font=label_font)) for label in labels] or [0]) + 20)
    left = 30 + label_width
    value_room = 220
    span = WIDTH - left - value_room - 30
    top_value = max(values or [0]) or 1
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * row
        draw.text((30, y + 12), _fit(draw, label, label_font, label_width - 20), font=label_font, fill=INK)
        length = int(span * value / top_value) if value > 0 else 0
        draw.rectangle((left, y + 10, left + max(length, 2), y + row - 10), fill=ACCENT)
        draw.text((left + length + 12, y + 12), french_value(shown[index], chart.unit), font=value_font, fill=INK)
    if not labels:
        draw.text((30, top + 12), "Aucune donnée.", font=label_font, fill=SOFT)
    return _png(image)


def line_chart(chart: ReportChart) -> bytes:
    """One point per label (a school year), joined, each value written above its point."""
    labels, values = list(chart.labels), [float(value or 0) for value in chart.values]
    height, top, bottom, left, right = 620, 110, 80, 60, 60
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((30, 24), chart.title, font=_font(34, True), fill=ACCENT)
    if not values:
        draw.text((30, top), "Aucune donnée.", font=_font(26), fill=SOFT)
        return _png(image)
    low, high = min(values), max(values)
    margin = (high - low) * 0.15 or (abs(high) * 0.1) or 1
    low, high = max(0.0, low - margin), high + margin
    plot_height = height - top - bottom
    step = (WIDTH - left - right) / max(len(values) - 1, 1)
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_height * (1 - fraction)
        draw.line((left, y, WIDTH - right, y), fill=GRID, width=2)
    points = []
    for index, value in enumerate(values):
        x = left + step * index if len(values) > 1 else WIDTH / 2
        y = top + plot_height * (1 - (value - low) / (high - low))
        points.append((x, y))
    if len(points) > 1:
        draw.line(points, fill=ACCENT, width=6, joint="curve")
    value_font, label_font = _font(26, True), _font(24)
    for index, (x, y) in enumerate(points):
        draw.ellipse((x - 10, y - 10, x + 10, y + 10), fill=ACCENT)
        text = french_value(chart.values[index], chart.unit)
        width = draw.textlength(text, font=value_font)
        draw.text((min(max(x - width / 2, 10), WIDTH - width - 10), y - 48), text, font=value_font, fill=INK)
        label = labels[index]
        width = draw.textlength(label, font=label_font)
        draw.text((min(max(x - width / 2, 10), WIDTH - width - 10), height - bottom + 20), label, font=label_font, fill=SOFT)
    return _png(image)


@lru_cache(maxsize=64)
def render(chart: ReportChart) -> bytes:
    """The chart's PNG bytes, by its kind (drawn once for both the DOCX and the PDF)."""
    if chart.kind == "line":
        return line_chart(chart)
    if chart.kind == "bar":
        return bar_chart(chart)
    raise ValueError(f"type de graphique inconnu « {chart.kind} »")
