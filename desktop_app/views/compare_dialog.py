"""Choose up to five other plugins to draw on the analytics trend chart."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.views.analytics_charts import MAX_COMPARED


def tr(text: str) -> str:
    return QCoreApplication.translate("Compare", text)


class CompareDialog(QDialog):
    """A checkable list; OK only while at most `MAX_COMPARED` are ticked."""

    def __init__(self, keys: list[str], chosen: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Compare plugins"))
        self.list = QListWidget()
        for key in keys:
            item = QListWidgetItem(key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.hint = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemChanged.connect(lambda _item: self._check())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Draw the same metric of these plugins:")))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self._check()

    def chosen(self) -> list[str]:
        return [
            item.text()
            for row in range(self.list.count())
            if (item := self.list.item(row)).checkState() == Qt.CheckState.Checked
        ]

    def _check(self) -> None:
        count = len(self.chosen())
        too_many = count > MAX_COMPARED
        self.hint.setText(
            tr("At most {n} plugins can be compared.").format(n=MAX_COMPARED)
            if too_many
            else tr("{count} of at most {n} chosen").format(count=count, n=MAX_COMPARED)
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not too_many)
