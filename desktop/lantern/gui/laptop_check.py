"""Tools → Check this laptop…: measure the active model here, in the background."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lantern.gui.errors import show_error


def _seconds(value: float | None) -> str:
    return "" if value is None else f"~{value:.0f} s"


def format_report(r: dict) -> str:
    """The laptop-check result as simple HTML."""
    feats = r["cpu"]["features"]
    flags = ", ".join(f"{k.upper()} {'yes' if v else 'no' if v is False else '?'}"
                      for k, v in feats.items())
    rows = "".join(
        f"<tr><td>{m['name']}</td><td>~{m['ram_mb']} MB</td>"
        f"<td>{'' if m['estimated_tokens_per_s'] is None else m['estimated_tokens_per_s']}</td>"
        f"<td>{_seconds(m.get('estimated_summary_s'))}</td>"
        f"<td>{m['verdict']}</td></tr>" for m in r["models"])
    return (
        f"<h3>{r['model']['name']}</h3>"
        f"<p>Load: {r['load_s']:.2f} s<br>"
        f"Reading the note: {r['prompt_tokens_per_s']:.0f} tokens/s "
        f"(first word after {r['ttft_s']:.2f} s; {r['ttft_cached_s']:.2f} s when the "
        f"start of the prompt was already read)<br>"
        f"Writing: {r['tokens_per_s']:.1f} tokens/s (bare llama.cpp: "
        f"{r['raw_tokens_per_s']:.1f}; ratio {r['lantern_vs_raw']:.2f})<br>"
        f"Memory measured: {r['ram']['available_mb']} MB free of {r['ram']['total_mb']} MB; "
        f"model process {r['host_rss_mb']} MB<br>"
        f"Processor measured: {r['cpu'].get('processor') or r['cpu'].get('machine', '')}, "
        f"{r['cpu']['logical_cpus']} threads, {flags}; {r['n_threads']} used</p>"
        f"<table border='1' cellspacing='0' cellpadding='3'><tr><th>Model</th><th>Memory</th>"
        f"<th>Est. tokens/s</th><th>One-page summary</th><th>On this laptop</th></tr>{rows}</table>"
        f"<p><small>Speeds of models not installed are estimates from this laptop's speed "
        f"with the active model.</small></p>")


class LaptopCheckDialog(QDialog):
    def __init__(self, *, models: Any, runner: Any, parent: QWidget | None = None,
                 quick: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check this laptop"))
        self.resize(720, 520)
        self.models = models
        self.runner = runner
        self.quick = quick
        self.figures: dict | None = None     # the last check's figures
        self._task: Any = None
        self.intro = QLabel(self.tr(
            "Measures how fast the active model loads, reads and writes on this laptop, "
            "and which models it can run. Takes about a minute; the app stays usable."), self)
        self.intro.setWordWrap(True)
        self.report = QTextBrowser(self)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.status = QLabel("", self)
        self.run_button = QPushButton(self.tr("Run check"), self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

    def start(self) -> None:
        if self._task is not None:
            return
        self.figures = None
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        quick = self.quick
        self._task = self.runner.submit(
            lambda ctx: self.models.laptop_check(progress=ctx.report, cancel=ctx.cancelled,
                                                 quick=quick),
            on_success=self._done, on_failure=self._failed, on_progress=self._progress,
            label=self.tr("Checking this laptop…"), lane="model")

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.status.setText(self.tr("Stopping after the current step…"))

    def _progress(self, fraction: float | None, message: str) -> None:
        if fraction is not None:
            self.progress.setRange(0, 100)
            self.progress.setValue(int(fraction * 100))
        self.status.setText(message)

    def _finish(self) -> None:
        self._task = None
        self.progress.setVisible(False)
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _done(self, result: dict) -> None:
        self._finish()
        self.figures = result
        self.status.setText(self.tr("Done."))
        self.report.setHtml(format_report(result))

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.status.setText(self.tr("The check did not finish."))
        show_error(self, exc)
