"""The shared chart layer renders Chinese with the bundled font, to Qt and to PDF."""

from __future__ import annotations

import warnings

from lantern.gui import charts


def test_chinese_labels_render_without_missing_glyphs(tmp_path):
    fig = charts.new_figure(4, 3)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [3.1, 3.9, 4.6])
    ax.set_title("体重 Weight-for-age")
    ax.set_xlabel("月龄 (months)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" is a UserWarning
        image = charts.to_qimage(fig)
        charts.to_pdf(fig, tmp_path / "chart.pdf")
    assert charts.font_families()[0] != "DejaVu Sans", "the bundled CJK font was not registered"
    assert image.width() == 400 and image.height() == 300
    pdf = (tmp_path / "chart.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf
