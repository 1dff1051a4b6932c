"""Print, PDF and page images of a summary or referral letter through Qt.

The HTML (``services/letter_layout``) is laid out for the paint device itself (printer,
PDF writer or image), page by page, in black: the text colour is set to black whatever
the screen palette (a dark theme must not print white). A letter is one page when it
fits; when it does not, the return slip starts on a page of its own (so it can be torn
off whole) and every page carries a footer with the patient and "page n of m".
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPaintDevice,
    QPainter,
    QPalette,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from lantern.gui.errors import MessageBox

BODY_POINT_SIZE = 10
FOOTER_POINT_SIZE = 8
MARGIN_MM = 15
BLACK = QColor(0, 0, 0)

# (slip_on_new_page) -> HTML
HtmlFor = Callable[[bool], str]


def _font(size: int) -> QFont:
    font = QFont(QGuiApplication.font())
    font.setPointSize(size)
    return font


def layout(html: str, device: QPaintDevice, page: QSizeF) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(_font(BODY_POINT_SIZE))
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setPageSize(page)
    return doc


def _footer_height(device: QPaintDevice) -> float:
    return FOOTER_POINT_SIZE * 2.4 * device.logicalDpiY() / 72


def paginate(html_for: HtmlFor, device: QPaintDevice, page: QSizeF, *, whole_tables: bool = False) -> QTextDocument:
    """One page when the letter fits; else the slip on a page of its own, with room for
    the page footer. ``whole_tables``: a table that fits on a page is not split across
    two; it starts a page with the paragraph just before it (its heading)."""
    doc = layout(html_for(False), device, page)
    if doc.pageCount() > 1:
        doc = layout(html_for(True), device, QSizeF(page.width(), page.height() - _footer_height(device)))
        if whole_tables:
            keep_tables_whole(doc)
    return doc


def keep_tables_whole(doc: QTextDocument) -> None:
    """Move each table that would be split across pages (and fits on one) to the next
    page, with the paragraph before it; in document order, as each move shifts the rest."""
    height = doc.pageSize().height()
    for frame in doc.rootFrame().childFrames():
        if not isinstance(frame, QTextTable):
            continue
        box = doc.documentLayout().frameBoundingRect(frame)
        if box.height() >= height or int(box.top() // height) == int((box.bottom() - 1) // height):
            continue
        heading = doc.findBlock(frame.firstPosition() - 1).previous()
        if not heading.isValid():
            heading = doc.findBlock(frame.firstPosition() - 1)
        cursor = QTextCursor(heading)
        fmt = heading.blockFormat()
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        cursor.setBlockFormat(fmt)


def paint_page(painter: QPainter, doc: QTextDocument, index: int, *, footer: str, page_height: float) -> None:
    """Draw page ``index`` of ``doc`` at the painter's origin, black, with the footer when
    the document has more than one page."""
    height = doc.pageSize().height()
    painter.save()
    painter.translate(0, -index * height)
    ctx = QAbstractTextDocumentLayout.PaintContext()
    ctx.clip = QRectF(0, index * height, doc.pageSize().width(), height)
    palette = QPalette(ctx.palette)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        palette.setColor(role, BLACK)
    ctx.palette = palette
    painter.setClipRect(ctx.clip)
    doc.documentLayout().draw(painter, ctx)
    painter.restore()
    if doc.pageCount() > 1:
        painter.save()
        painter.setPen(BLACK)
        painter.setFont(_font(FOOTER_POINT_SIZE))
        text = f"{footer}    {index + 1} / {doc.pageCount()}".strip()
        box = QRectF(QPointF(0, page_height - _footer_height(painter.device())),
                     QSizeF(doc.pageSize().width(), _footer_height(painter.device())))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), text)
        painter.restore()


def print_html(html_for: HtmlFor, printer: QPrinter, *, footer: str = "", whole_tables: bool = False) -> int:
    """Print (or write the PDF of) the document; returns the number of pages."""
    rect = printer.pageLayout().paintRectPixels(printer.resolution())
    page = QSizeF(rect.width(), rect.height())
    doc = paginate(html_for, printer, page, whole_tables=whole_tables)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    try:
        for index in range(doc.pageCount()):
            if index:
                printer.newPage()
            paint_page(painter, doc, index, footer=footer, page_height=page.height())
    finally:
        painter.end()
    return doc.pageCount()


def pdf_printer(path: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(path)
    prepare(printer)
    return printer


def prepare(printer: QPrinter) -> None:
    """A4 (unless the print dialog chose otherwise) with the letter's margins, grey scale."""
    printer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)


def page_images(html_for: HtmlFor, *, dpi: int = 100, footer: str = "", whole_tables: bool = False) -> list[QImage]:
    """The pages as images (A4 with the print margins), for previews and checks."""
    dots_per_metre = round(dpi / 0.0254)
    margin = MARGIN_MM / 25.4 * dpi
    width, height = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    probe = QImage(8, 8, QImage.Format.Format_RGB32)
    probe.setDotsPerMeterX(dots_per_metre)
    probe.setDotsPerMeterY(dots_per_metre)
    page = QSizeF(width - 2 * margin, height - 2 * margin)
    doc = paginate(html_for, probe, page, whole_tables=whole_tables)
    images = []
    for index in range(doc.pageCount()):
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        image.fill(QColor(255, 255, 255))
        painter = QPainter(image)
        painter.translate(margin, margin)
        paint_page(painter, doc, index, footer=footer, page_height=page.height())
        painter.end()
        images.append(image)
    return images


def _written(parent: QWidget, make: Callable[[], object]) -> bool:
    try:
        make()
    except OSError:
        # (the path or printer name is not shown: it may name the patient)
        MessageBox.critical(parent, title=QCoreApplication.translate("LetterPrint", "Print"),
                            text=QCoreApplication.translate(
                                "LetterPrint", "The document could not be written. Check the printer, "
                                "or the folder and free space for a PDF, and try again."))
        return False
    return True


def print_with_dialog(parent: QWidget, print_to: Callable[[QPrinter], object]) -> bool:
    """Ask for a printer (A4, the letter's margins) and print; True when printed."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare(printer)
    if QPrintDialog(printer, parent).exec() != QPrintDialog.DialogCode.Accepted:
        return False
    return _written(parent, lambda: print_to(printer))


def write_pdf(parent: QWidget, print_to: Callable[[QPrinter], object], path: str | None, *,
              suggested: str) -> str | None:
    """Write the PDF to ``path`` (asks for a file, ``suggested`` first, when None); the
    path written, or None."""
    if path is None:
        path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("LetterPrint", "Export PDF"),
                                              suggested,
                                              QCoreApplication.translate("LetterPrint", "PDF files (*.pdf)"))
        if not path:
            return None
    target = str(path)
    return target if _written(parent, lambda: print_to(pdf_printer(target))) else None
