"""Charts drawn at build time as inline SVG: readable without JavaScript, in light and dark.

Colours come from the theme's variables (text colour, accent), with plain
fallbacks for a copy saved outside the page; every number is also in a table
beside the chart, and each chart has a title and a description for screen readers.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Hashable, Sequence

FG = "var(--md-default-fg-color, #222)"
FAINT = "var(--md-default-fg-color--lightest, #ddd)"
ACCENT = "var(--bt-accent, #b71c1c)"
FONT = 12
CHAR = 6.6            # average width of a character at FONT, for laying out labels


def _svg(width: float, height: float, title: str, desc: str, ident: str) -> etree.Element:
    svg = etree.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "class": "bt-chart__svg", "role": "img",
        "viewBox": f"0 0 {width:.0f} {height:.0f}", "width": f"{width:.0f}", "height": f"{height:.0f}",
        "aria-labelledby": f"{ident}-title {ident}-desc", "font-size": str(FONT),
        "style": f"color: {FG}; max-width: 100%; height: auto", "fill": "currentColor",
    })
    etree.SubElement(svg, "title", {"id": f"{ident}-title"}).text = title
    etree.SubElement(svg, "desc", {"id": f"{ident}-desc"}).text = desc
    return svg


def _text(parent, x: float, y: float, text: str, anchor: str = "start", **attrs) -> etree.Element:
    el = etree.SubElement(parent, "text", {"x": f"{x:.1f}", "y": f"{y:.1f}", "text-anchor": anchor,
                                           **{k.replace("_", "-"): v for k, v in attrs.items()}})
    el.text = text
    return el


def _clip(label: str, width: float) -> str:
    chars = max(4, int(width / CHAR))
    return label if len(label) <= chars else label[:chars - 1].rstrip() + "…"


def heatmap(rows: Sequence[tuple[Hashable, str]], columns: Sequence[tuple[Hashable, str, str]],
            values: dict[tuple[Hashable, Hashable], int], *, title: str, desc: str, ident: str,
            x_label: str, y_label: str, unit: str = "ý kiến") -> str:
    """A grid of counts: rows (key, label) by columns (key, line 1, line 2); the darker, the more."""
    cell_w, cell_h, gap = 44, 26, 2
    label_w = min(260, max([len(label) for _, label in rows] + [len(y_label)]) * CHAR + 12)
    top, bottom = 22, 50
    total_w = 48
    width = label_w + len(columns) * cell_w + total_w + 8
    height = top + len(rows) * cell_h + bottom
    peak = max(values.values(), default=0) or 1
    svg = _svg(width, height, title, desc, ident)
    _text(svg, 0, 14, y_label, font_weight="bold")
    _text(svg, label_w + len(columns) * cell_w + total_w / 2, 14, "Tổng", "middle", font_weight="bold")
    for r, (row, label) in enumerate(rows):
        y = top + r * cell_h
        row_label = _text(svg, 0, y + cell_h / 2 + 4, _clip(label, label_w - 8))
        if row_label.text != label:
            etree.SubElement(row_label, "title").text = label
        total = 0
        for c, (col, line1, line2) in enumerate(columns):
            x = label_w + c * cell_w
            count = values.get((row, col), 0)
            total += count
            cell = etree.SubElement(svg, "g")
            etree.SubElement(cell, "title").text = f"{label}, {line1} {line2}: {count} {unit}"
            rect = {"x": f"{x + gap / 2:.1f}", "y": f"{y + gap / 2:.1f}", "width": str(cell_w - gap),
                    "height": str(cell_h - gap), "rx": "3"}
            if count:
                etree.SubElement(cell, "rect", {**rect, "fill-opacity": f"{0.1 + 0.35 * count / peak:.2f}",
                                                "style": f"fill: {ACCENT}"})
                _text(cell, x + cell_w / 2, y + cell_h / 2 + 4, str(count), "middle", font_weight="bold")
            else:
                etree.SubElement(cell, "rect", {**rect, "fill": "none", "style": f"stroke: {FAINT}"})
        _text(svg, label_w + len(columns) * cell_w + total_w / 2, y + cell_h / 2 + 4, str(total), "middle")
    base = top + len(rows) * cell_h
    for c, (_, line1, line2) in enumerate(columns):
        x = label_w + c * cell_w + cell_w / 2
        _text(svg, x, base + 14, line1, "middle")
        _text(svg, x, base + 28, line2, "middle", fill_opacity="0.7")
    _text(svg, label_w + len(columns) * cell_w / 2, base + 46, x_label, "middle", font_weight="bold")
    return etree.tostring(svg, encoding="unicode")


def bars(columns: Sequence[tuple[Hashable, str, str]], values: dict[Hashable, int], *, title: str, desc: str,
         ident: str, x_label: str, y_label: str, unit: str = "ý kiến") -> str:
    """Counts over a timeline: one bar per column (key, label, second label shown where it changes)."""
    bar_w = 30 if len(columns) <= 24 else 18
    left, top, plot_h, bottom = 44, 24, 140, 52
    width = left + len(columns) * bar_w + 10
    height = top + plot_h + bottom
    peak = max(values.values(), default=0) or 1
    svg = _svg(width, height, title, desc, ident)
    _text(svg, 0, 12, y_label, font_weight="bold")
    base = top + plot_h
    step = max(1, -(-peak // 4))
    for tick in range(0, peak + 1, step):
        y = base - plot_h * tick / peak
        etree.SubElement(svg, "line", {"x1": str(left - 4), "x2": f"{width - 10:.0f}", "y1": f"{y:.1f}",
                                       "y2": f"{y:.1f}", "style": f"stroke: {FAINT}"})
        _text(svg, left - 8, y + 4, str(tick), "end")
    shown_second = None
    for c, (col, label, second) in enumerate(columns):
        x = left + c * bar_w
        count = values.get(col, 0)
        group = etree.SubElement(svg, "g")
        etree.SubElement(group, "title").text = f"{label}/{second}: {count} {unit}"
        if count:
            h = plot_h * count / peak
            etree.SubElement(group, "rect", {"x": f"{x + 3:.1f}", "y": f"{base - h:.1f}", "width": str(bar_w - 6),
                                             "height": f"{h:.1f}", "style": f"fill: {ACCENT}"})
            _text(group, x + bar_w / 2, base - h - 4, str(count), "middle", font_weight="bold")
        if bar_w >= 30 or c == 0 or second != shown_second or label in ("01", "07"):
            _text(svg, x + bar_w / 2, base + 14, label, "middle")
        if second != shown_second:
            _text(svg, x + bar_w / 2, base + 28, second, "middle", fill_opacity="0.7")
            shown_second = second
    etree.SubElement(svg, "line", {"x1": str(left), "x2": f"{width - 10:.0f}", "y1": str(base), "y2": str(base),
                                   "stroke": "currentColor"})
    _text(svg, left + len(columns) * bar_w / 2, base + 46, x_label, "middle", font_weight="bold")
    return etree.tostring(svg, encoding="unicode")
