"""A plugin's log (`logs/plugins/<id>.log`), followed as it grows: new bytes
are read off the UI thread twice a second; a log emptied in place by the
supervisor's rotation is read again from its start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop_app.views.tasks import run_in_background

FOLLOW_MS = 500
TAIL_BYTES = 256 * 1024  # what is shown of a long log at first
KEEP_LINES = 5000


def tr(text: str) -> str:
    return QCoreApplication.translate("PluginLog", text)


def read_from(path: Path, offset: int) -> tuple[bool, int, str]:
    """(restarted, new offset, text): what was added after `offset`, or, after a
    truncation, the log again from its start (its last 256 KiB at most)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return offset > 0, 0, ""
    restarted = size < offset
    start = max(0, size - TAIL_BYTES) if restarted or offset == 0 else offset
    with path.open("rb") as log:
        log.seek(start)
        data = log.read(size - start)
    return restarted, start + len(data), data.decode("utf-8", "replace")


class PluginLogDialog(QDialog):
    def __init__(self, key: str, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Log of {plugin}").format(plugin=key))
        self.resize(900, 520)
        self.path = path
        self._offset = 0
        self._reading = False
        layout = QVBoxLayout(self)
        where = QLabel(str(path))
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMaximumBlockCount(KEEP_LINES)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlaceholderText(tr("Nothing logged yet"))
        layout.addWidget(self.text, 1)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.follow)
        self.timer.start(FOLLOW_MS)
        self.follow()

    def follow(self) -> None:
        if self._reading:
            return
        self._reading = True
        path, offset = self.path, self._offset
        run_in_background(lambda: read_from(path, offset), self._show, owner=self)

    def _show(self, found: tuple[bool, int, str]) -> None:
        self._reading = False
        restarted, self._offset, text = found
        if restarted:
            self.text.clear()
        if text:
            bar = self.text.verticalScrollBar()
            at_end = bar.value() == bar.maximum()  # follow only an operator who has not scrolled up
            cursor = QTextCursor(self.text.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(text)
            if at_end:
                bar.setValue(bar.maximum())
