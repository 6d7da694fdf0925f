"""The export dialog (R15): plugins, window, format and file; the export runs
in a worker thread with a progress bar and a cancel button."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.analytics.summary_export import export_summary
from desktop_app.services.export import ExportRequest, export_samples
from desktop_app.services.runtime import PluginMonitor
from desktop_app.views.tasks import attempt
from desktop_app.views.time_range import DAY, TimeRangeChoice


def tr(text: str) -> str:
    return QCoreApplication.translate("Export", text)


class ExportWorker(QObject):
    progress = Signal(int, int)
    finished = Signal(int)
    failed = Signal(str)

    def __init__(self, monitor: PluginMonitor, request: ExportRequest) -> None:
        super().__init__()
        self.monitor = monitor
        self.request = request
        self.cancel = threading.Event()

    def run(self) -> None:
        ok, outcome = attempt(self._export)
        if ok:
            self.finished.emit(outcome)
        else:
            self.failed.emit(outcome)

    def _export(self) -> int:
        ids = {
            key: info.id
            for key in self.request.plugin_keys
            if (info := self.monitor.registry.get(key)) is not None
        }
        if self.request.content == "summary":
            return export_summary(self.monitor.analytics, ids, self.request)
        return export_samples(
            self.monitor.samples,
            ids,
            self.request,
            progress=self.progress.emit,
            cancelled=self.cancel,
        )


class ExportDialog(QDialog):
    def __init__(self, monitor: PluginMonitor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self.setWindowTitle(tr("Export samples"))
        self.resize(460, 480)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form(monitor))
        self.progress = QProgressBar()
        self.progress.setValue(0)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = QPushButton(tr("Export"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        self.worker: ExportWorker | None = None
        self.thread_: QThread | None = None
        self.rows_written: int | None = None

    def _build_form(self, monitor: PluginMonitor) -> QFormLayout:
        form = QFormLayout()
        self.plugins = QListWidget()
        for info in monitor.registry.all():
            item = QListWidgetItem(f"{info.name} ({info.key})")
            item.setData(Qt.ItemDataRole.UserRole, info.key)
            item.setCheckState(Qt.CheckState.Checked)
            self.plugins.addItem(item)
        form.addRow(tr("Plugins"), self.plugins)
        self.window_choice = TimeRangeChoice(default_seconds=DAY)
        form.addRow(tr("Window"), self.window_choice)
        contents = QHBoxLayout()
        self.raw_samples = QRadioButton(tr("Raw samples"))
        self.summary = QRadioButton(tr("Analytics summary"))
        self.raw_samples.setChecked(True)
        content_group = QButtonGroup(self)
        for button in (self.raw_samples, self.summary):
            content_group.addButton(button)
            contents.addWidget(button)
        form.addRow(tr("Content"), contents)
        formats = QHBoxLayout()
        self.csv = QRadioButton("CSV")
        self.json = QRadioButton("JSON")
        self.csv.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.csv, self.json):
            group.addButton(button)
            formats.addWidget(button)
        group.buttonToggled.connect(lambda *_: self._fix_suffix())
        form.addRow(tr("Format"), formats)
        file_row = QHBoxLayout()
        self.path = QLineEdit(str(Path.home() / "plugin-monitor-export.csv"))
        browse = QPushButton(tr("Choose…"))
        browse.clicked.connect(self._choose)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form.addRow(tr("File"), file_row)
        return form

    def fmt(self) -> str:
        return "json" if self.json.isChecked() else "csv"

    def _fix_suffix(self) -> None:
        path = Path(self.path.text())
        self.path.setText(str(path.with_suffix("." + self.fmt())))

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, tr("Export to"), self.path.text())
        if name:
            self.path.setText(name)

    def choose_plugins(self, keys: list[str]) -> None:
        """Tick exactly these plugins."""
        for i in range(self.plugins.count()):
            item = self.plugins.item(i)
            chosen = item.data(Qt.ItemDataRole.UserRole) in keys
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)

    def selected_plugins(self) -> list[str]:
        items = (self.plugins.item(i) for i in range(self.plugins.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def start(self) -> None:
        plugins = self.selected_plugins()
        if not plugins:
            self.outcome.setText(tr("Choose at least one plugin."))
            return
        since, until = self.window_choice.chosen().bounds()
        request = ExportRequest(
            plugins,
            since,
            until,
            self.fmt(),
            Path(self.path.text()).expanduser(),
            "summary" if self.summary.isChecked() else "samples",
        )
        self.worker = ExportWorker(self.monitor, request)
        self.thread_ = QThread(self)
        self.worker.moveToThread(self.thread_)
        self.thread_.started.connect(self.worker.run)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.finished.connect(self.thread_.quit)
        self.worker.failed.connect(self.thread_.quit)
        self.export_button.setEnabled(False)
        self.outcome.setText(tr("Exporting…"))
        self.thread_.start()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _finished(self, rows: int) -> None:
        self.rows_written = rows
        self.progress.setMaximum(max(rows, 1))
        self.progress.setValue(max(rows, 1))
        self.outcome.setText(
            tr("Wrote {rows} rows to {path}").format(rows=rows, path=self.path.text())
        )
        self.export_button.setEnabled(True)

    def _failed(self, message: str) -> None:
        self.outcome.setText(message)
        self.export_button.setEnabled(True)

    def _cancel(self) -> None:
        if self.worker is not None and self.thread_ is not None and self.thread_.isRunning():
            self.worker.cancel.set()
        else:
            self.reject()

    def done(self, code: int) -> None:
        if self.thread_ is not None and self.thread_.isRunning():
            if self.worker is not None:
                self.worker.cancel.set()
            self.thread_.quit()
            self.thread_.wait(5000)
        super().done(code)
