"""The alert centre's table keeps the newest `MAX_ROWS` as alerts come in
for weeks, dropping the oldest rows (which "Load more" reads again)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QApplication

from desktop_app.models.alerts import Alert, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.views import alert_table
from desktop_app.views.alert_table import AlertTableModel

RAISED = Alert(
    id=1,
    plugin_key="app",
    rule="cpu",
    level=AlertLevel.CRITICAL,
    status=AlertStatus.ACTIVE,
    message="CPU usage 99 % is at or above the critical line of 95 %",
    value=99.0,
    threshold=95.0,
    started_at=1_700_000_000.0,
    updated_at=1_700_000_000.0,
)


def test_a_weeks_alerts_keep_the_newest_rows_only(qapp: QApplication) -> None:
    model = AlertTableModel()
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    for n in range(alert_table.MAX_ROWS + 5):
        model.upsert(replace(RAISED, id=n + 1), visible=True)
    assert model.rowCount() == alert_table.MAX_ROWS
    assert model.alerts[0].id == alert_table.MAX_ROWS + 5, "the newest at the top"
    assert model.alerts[-1].id == 6, "the five oldest let go"
    assert removed == [(alert_table.MAX_ROWS, alert_table.MAX_ROWS)] * 5
    model.upsert(replace(RAISED, id=50, message="updated"), visible=True)
    assert model.rowCount() == alert_table.MAX_ROWS, "an update is not a new row"
    assert next(alert for alert in model.alerts if alert.id == 50).message == "updated"
