"""Webhooks in Settings: each one masked as it is stored, with how its
deliveries went; Add… (URL, lowest level, headers, signing), Remove and Send
a test. The URL and header values go straight to the secret store; a
signing secret is shown once, selectable, and never again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.errors import OperatorError
from desktop_app.models.levels import AlertLevel
from desktop_app.models.webhooks import Webhook
from desktop_app.services.alerts.wording import level_name
from desktop_app.views.alert_text import console_language
from desktop_app.views.operator import console_actor
from desktop_app.views.table_model import row_table
from desktop_app.views.tasks import NewestOnly, run_in_background

if TYPE_CHECKING:
    from desktop_app.services.webhooks.channel import ChannelState
    from desktop_app.views.sources import Deliveries, Webhooks

COLUMNS = ["Sends to", "From level", "Deliveries"]
REFRESH_MS = 5000


def tr(text: str) -> str:
    return QCoreApplication.translate("Webhooks", text)


@dataclass(frozen=True)
class WebhookRequest:
    url: str
    min_level: AlertLevel
    headers: dict[str, str]
    sign: bool


class AddWebhookDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Add a webhook"))
        form = QFormLayout(self)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://hooks.example.com/…")
        self.level = QComboBox()
        for level in AlertLevel:
            self.level.addItem(level_name(level, console_language()), level)
        self.level.setCurrentIndex(1)  # warning
        self.headers = QPlainTextEdit()
        self.headers.setPlaceholderText(tr("One per line, e.g. Authorization: Bearer abc"))
        self.headers.setFixedHeight(70)
        self.sign = QCheckBox(tr("Sign each body (HMAC-SHA256)"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.url.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(tr("URL"), self.url)
        form.addRow(tr("From level"), self.level)
        form.addRow(tr("Headers"), self.headers)
        form.addRow("", self.sign)
        note = QLabel(
            tr(
                "Alerts are sent in Alertmanager's webhook format; the URL and header values "
                "are kept in the secret store."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(buttons)
        self.resize(520, 0)

    def request(self) -> WebhookRequest:
        """Raises the service's own error (shown by the caller) for a bad header."""
        from desktop_app.services.webhooks.service import parse_header  # off the start path

        lines = [line for line in self.headers.toPlainText().splitlines() if line.strip()]
        return WebhookRequest(
            self.url.text().strip(),
            self.level.currentData(),
            dict(parse_header(line) for line in lines),
            self.sign.isChecked(),
        )


def deliveries(state: ChannelState | None) -> str:
    if state is None:
        return tr("starting…")
    if state.last_error:
        return tr("failing: {reason}").format(reason=state.last_error)
    return tr("{count} delivered").format(count=state.delivered)


class WebhooksPanel(QGroupBox):
    status_message = Signal(str)

    def __init__(self) -> None:
        super().__init__(tr("Webhooks"))
        self._reads = NewestOnly(self)  # the newest list's answer shown
        self.service: Webhooks | None = None
        self.delivery: Deliveries | None = None
        self.webhooks: list[Webhook] = []
        self.table = row_table([tr(c) for c in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(140)
        self.add_button = QPushButton(tr("Add…"))
        self.remove_button = QPushButton(tr("Remove"))
        self.test_button = QPushButton(tr("Send a test"))
        self.add_button.clicked.connect(self.open_add)
        self.remove_button.clicked.connect(self._remove_selected)
        self.test_button.clicked.connect(self._test_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.test_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.refresher = QTimer(self)
        self.refresher.timeout.connect(self.reload)
        self.refresher.start(REFRESH_MS)

    def attach(self, service: Webhooks, delivery: Deliveries) -> None:
        self.service, self.delivery = service, delivery
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        service = self.service
        if service is not None and self.isVisible():
            self._reads.run(service.current, self._show, self.status_message.emit)

    def _show(self, webhooks: list[Webhook]) -> None:
        self.webhooks = webhooks
        states = {s.webhook.id: s for s in self.delivery.states()} if self.delivery else {}
        self.table.setRowCount(len(webhooks))
        for row, webhook in enumerate(webhooks):
            signed = tr(", signed") if webhook.signed else ""
            cells = [
                f"{webhook.shown_url}{signed}",
                level_name(webhook.min_level, console_language()),
                deliveries(states.get(webhook.id)),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, webhook.id)
                self.table.setItem(row, column, item)

    def open_add(self) -> None:
        dialog = AddWebhookDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add(dialog)

    def add(self, dialog: AddWebhookDialog) -> None:
        service = self.service
        if service is None:
            return
        try:
            wanted = dialog.request()
        except OperatorError as error:
            self._not_added(str(error))
            return
        run_in_background(
            lambda: service.add(
                url=wanted.url,
                min_level=wanted.min_level,
                headers=wanted.headers,
                sign=wanted.sign,
                actor=console_actor(),
            ),
            self._added,
            self._not_added,
            owner=self,
        )

    def _not_added(self, message: str) -> None:
        QMessageBox.warning(self, tr("Webhook not added"), message)

    def _added(self, made: tuple[Webhook, str | None]) -> None:
        webhook, secret = made
        if self.delivery is not None:
            self.delivery.refresh_now()
        self.status_message.emit(tr("Webhook {url} added").format(url=webhook.shown_url))
        if secret is not None:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                tr("Signing secret"),
                tr("Give this secret to the receiver; it is shown only now:") + f"\n\n{secret}",
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.open()
            self.secret_box = box
        self.reload()

    def _selected(self) -> Webhook | None:
        rows = self.table.selectionModel().selectedRows()
        return self.webhooks[rows[0].row()] if rows else None

    def _remove_selected(self) -> None:
        webhook, service = self._selected(), self.service
        if webhook is None or service is None:
            return
        run_in_background(
            lambda: service.remove(webhook.id, console_actor()),
            lambda _removed: self._changed(tr("Webhook {url} removed"), webhook),
            self.status_message.emit,
            owner=self,
        )

    def _test_selected(self) -> None:
        webhook, service = self._selected(), self.service
        if webhook is None or service is None:
            return
        run_in_background(
            lambda: service.send_test(webhook.id),
            lambda error: self.status_message.emit(
                tr("Test alert delivered to {url}").format(url=webhook.shown_url)
                if error is None
                else tr("Test alert not delivered: {reason}").format(reason=error)
            ),
            self.status_message.emit,
            owner=self,
        )

    def _changed(self, text: str, webhook: Webhook) -> None:
        if self.delivery is not None:
            self.delivery.refresh_now()
        self.status_message.emit(text.format(url=webhook.shown_url))
        self.reload()
