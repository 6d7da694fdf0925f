"""The audit trail (R25) at the console: who changed what, from where and
when, newest first, narrowed to one kind of action and to who (any part: a
name, "key 4", an address). Read anew each time the page is shown, off the
UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.models.audit import AuditEntry, AuditFilter
from desktop_app.models.timestamps import local_minute
from desktop_app.views.table_model import row_table
from desktop_app.views.tasks import NewestOnly

if TYPE_CHECKING:
    from desktop_app.views.sources import AuditTrail

COLUMNS = ["Time", "Who", "Action", "Target", "Change"]
SHOWN = 500  # the newest entries listed; GET /api/audit pages through the rest


def tr(text: str) -> str:
    return QCoreApplication.translate("Audit", text)


def kinds() -> list[tuple[str, str | None]]:
    """The filter's choices: a label and the action family it keeps."""
    return [
        (tr("Every action"), None),
        (tr("Settings and thresholds"), "setting"),
        (tr("API keys"), "key"),
        (tr("Plugins"), "plugin"),
        (tr("Alerts"), "alert"),
        (tr("Silences"), "silence"),
        (tr("Webhooks"), "webhook"),
        (tr("Backups"), "backup"),
        (tr("Refused attempts and lockouts"), "auth"),
    ]


def change_text(entry: AuditEntry) -> str:
    if entry.old_value is not None and entry.new_value is not None:
        return f"{entry.old_value} → {entry.new_value}"
    return entry.new_value or entry.old_value or ""


class AuditPage(QWidget):
    status_message = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.audit: AuditTrail | None = None
        self.entries: list[AuditEntry] = []
        self._reads = NewestOnly(self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('Audit trail')}</h2>"))
        hint = QLabel(
            tr(
                "Every change made here, on the command line or through the API, newest "
                "first. Changes through the API name the key and the address they came "
                "from. The trail is also kept in logs/audit.log."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.kind = QComboBox()
        for label, family in kinds():
            self.kind.addItem(label, family)
        self.kind.currentIndexChanged.connect(self.reload)
        self.who = QLineEdit()
        self.who.setPlaceholderText(tr("who: a name, key 4, an address"))
        self.who.setClearButtonEnabled(True)
        self.who.setMaxLength(300)
        self.who.editingFinished.connect(self.reload)
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.clicked.connect(self.reload)
        row.addWidget(QLabel(tr("Show")))
        row.addWidget(self.kind)
        row.addWidget(self.who, 1)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        layout.addLayout(row)
        self.table = row_table([tr(c) for c in COLUMNS])
        self.table.horizontalHeader().setStretchLastSection(True)  # the change, however long
        layout.addWidget(self.table, 1)

    def attach(self, audit: AuditTrail) -> None:
        self.audit = audit
        self.reload()

    def reload(self) -> None:
        audit = self.audit
        if audit is None:
            return
        filters = AuditFilter(actor=self.who.text().strip() or None, action=self.kind.currentData())
        self._reads.run(
            lambda: audit.page(filters, limit=SHOWN), self._show, self.status_message.emit
        )

    def _show(self, entries: list[AuditEntry]) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = [
                local_minute(entry.at),
                entry.actor,
                entry.action,
                entry.target,
                change_text(entry),
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        for column in range(len(COLUMNS) - 1):
            self.table.resizeColumnToContents(column)

    def showEvent(self, event: QShowEvent) -> None:
        """Shown again: read anew."""
        super().showEvent(event)
        self.reload()
