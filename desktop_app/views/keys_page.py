"""API keys (R21), for the admin at the console: create one (shown once,
with Copy), optionally limited to pushing, to a plugin pattern or in time;
list the active ones with their role, scope, expiry and last use (when and
from where); revoke. The API takes a revocation up within its key cache
time (2 s)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.models.auth import MAX_KEY_DAYS, ApiKey, KeyScope, Role
from desktop_app.models.timestamps import local_minute
from desktop_app.views.operator import console_actor
from desktop_app.views.table_model import row_table
from desktop_app.views.tasks import NewestOnly, run_in_background

if TYPE_CHECKING:
    from desktop_app.services.auth.keys import ApiKeyStore


COLUMNS = ["Id", "Name", "Role", "Scope", "Created", "Expires", "Last used", "From"]


def tr(text: str) -> str:
    return QCoreApplication.translate("Keys", text)


def scope_text(scope: KeyScope) -> str:
    """The scope in the console's language: "all", "pushes only", "pushes only, web*"."""
    parts = [tr("pushes only")] if scope.ingest_only else []
    return ", ".join([*parts, scope.plugins] if scope.plugins else parts) or tr("all")


class NewKeyDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Create an API key"))
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("who or what uses it, e.g. billing plugin"))
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(tr(role.label), role)
        self.role.setCurrentIndex(self.role.findData(Role.OPERATOR))
        self.ingest = QCheckBox(tr("Only pushes metrics and registers plugins"))
        self.ingest.setToolTip(
            tr("For a plugin: it gets the higher ingest rate allowance and the operator role")
        )
        self.ingest.toggled.connect(self._ingest_toggled)
        self.plugins = QLineEdit()
        self.plugins.setPlaceholderText(tr("any plugin; or a pattern such as web*"))
        self.plugins.setMaxLength(200)
        self.days = QSpinBox()
        self.days.setRange(0, MAX_KEY_DAYS)
        self.days.setSpecialValueText(tr("no expiry"))
        self.days.setSuffix(tr(" days"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.name.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Role"), self.role)
        form.addRow("", self.ingest)
        form.addRow(tr("Plugins"), self.plugins)
        form.addRow(tr("Expires after"), self.days)
        form.addRow(buttons)

    def _ingest_toggled(self, ingest: bool) -> None:
        if ingest:
            self.role.setCurrentIndex(self.role.findData(Role.OPERATOR))
        self.role.setEnabled(not ingest)

    def scope(self) -> KeyScope:
        return KeyScope.lasting(
            self.days.value(),
            now=time.time(),
            ingest_only=self.ingest.isChecked(),
            plugins=self.plugins.text().strip(),
        )


class ShownOnceDialog(QDialog):
    """The new key, selectable, with Copy: it is never shown again."""

    def __init__(self, key: ApiKey, token: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("API key created"))
        layout = QVBoxLayout(self)
        expires = key.scope.expires_at
        layout.addWidget(
            QLabel(
                tr(
                    "Key {id} ({role}; {scope}; expires {expires}). This is the only time it "
                    "is shown; keep it safe:"
                ).format(
                    id=key.id,
                    role=tr(key.role.label),
                    scope=scope_text(key.scope),
                    expires=local_minute(expires) if expires else tr("no expiry"),
                )
            )
        )
        self.token = QLineEdit(token)
        self.token.setReadOnly(True)
        self.token.setMinimumWidth(480)
        layout.addWidget(self.token)
        row = QHBoxLayout()
        self.copy = QPushButton(tr("Copy"))
        self.copy.clicked.connect(lambda: QApplication.clipboard().setText(token))
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.accept)
        row.addStretch(1)
        row.addWidget(self.copy)
        row.addWidget(close)
        layout.addLayout(row)


class KeysPage(QWidget):
    status_message = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.store: ApiKeyStore | None = None
        self.keys: list[ApiKey] = []
        self._reads = NewestOnly(self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('API keys')}</h2>"))
        hint = QLabel(
            tr(
                "Plugins and scripts send a key as 'Authorization: Bearer <key>'. "
                "Viewers read, operators also push metrics and act on alerts, admins "
                "also manage keys, settings and webhooks."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = row_table([tr(c) for c in COLUMNS])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Name"), QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.create_button = QPushButton(tr("Create…"))
        self.revoke_button = QPushButton(tr("Revoke"))
        self.create_button.clicked.connect(self.open_create)
        self.revoke_button.clicked.connect(self._revoke_selected)
        row.addStretch(1)
        row.addWidget(self.revoke_button)
        row.addWidget(self.create_button)
        layout.addLayout(row)

    def attach(self, store: ApiKeyStore) -> None:
        self.store = store
        self.reload()

    def reload(self) -> None:
        store = self.store
        if store is not None:
            self._reads.run(store.list, self._show, self.status_message.emit)

    def _show(self, keys: list[ApiKey]) -> None:
        self.keys = [key for key in keys if not key.revoked]
        self.table.setRowCount(len(self.keys))
        for row, key in enumerate(self.keys):
            expires = key.scope.expires_at
            cells = [
                str(key.id),
                key.name,
                tr(key.role.label),
                scope_text(key.scope),
                local_minute(key.created_at),
                local_minute(expires) if expires else tr("no expiry"),
                local_minute(key.last_used_at) if key.last_used_at else tr("never"),
                key.last_used_from or "",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def showEvent(self, event: QShowEvent) -> None:
        """Shown again: the list is read anew, with each key's last use."""
        super().showEvent(event)
        self.reload()

    def open_create(self) -> None:
        dialog = NewKeyDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.create_key(dialog.name.text().strip(), dialog.role.currentData(), dialog.scope())

    def create_key(self, name: str, role: Role, scope: KeyScope | None = None) -> None:
        store = self.store
        if store is None:
            return
        limits = scope or KeyScope()
        run_in_background(
            lambda: store.create(name=name, role=role, actor=console_actor(), scope=limits),
            self._created,
            self.status_message.emit,
            owner=self,
        )

    def _created(self, made: tuple[ApiKey, str]) -> None:
        key, token = made
        self.shown_once = ShownOnceDialog(key, token, self)
        self.shown_once.open()
        self.reload()

    def _revoke_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        key = self.keys[rows[0].row()]
        answer = QMessageBox.question(
            self,
            tr("Revoke the key?"),
            tr("Key {id} ({name}) stops working within 2 seconds.").format(
                id=key.id, name=key.name
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.revoke(key.id)

    def revoke(self, key_id: int) -> None:
        store = self.store
        if store is None:
            return
        run_in_background(
            lambda: store.revoke(key_id, actor=console_actor()),
            self._revoked,
            self.status_message.emit,
            owner=self,
        )

    def _revoked(self, key: ApiKey) -> None:
        self.status_message.emit(tr("Key {id} revoked").format(id=key.id))
        self.reload()
