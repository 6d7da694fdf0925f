"""The guide's `monitor.thresholds.cpu_threshold = 70.0`, through the API.

Reading asks the monitor for the value in force; setting changes it there
(admin), where it is validated, written to settings.toml and audited, exactly
as an edit in the console. A name the monitor does not know is an
AttributeError that lists the names it does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.client.monitor import Monitor

PATH = "/api/advanced-monitoring/thresholds"


class Thresholds:
    """Every plugin's thresholds; `plugin(id)` gives one plugin's overrides."""

    _monitor: Monitor
    _plugin_id: str | None

    def __init__(self, monitor: Monitor, plugin_id: str | None = None) -> None:
        object.__setattr__(self, "_monitor", monitor)
        object.__setattr__(self, "_plugin_id", plugin_id)

    def plugin(self, plugin_id: str) -> Thresholds:
        return Thresholds(self._monitor, plugin_id)

    def as_dict(self) -> dict[str, float]:
        """The values in force (for a plugin: the global ones with its overrides)."""
        current = self._monitor.call("GET", PATH)
        values: dict[str, float] = dict(current["global"])
        if self._plugin_id is not None:
            values |= current["plugins"].get(self._plugin_id, {})
        return values

    def __getattr__(self, name: str) -> float:
        if name.startswith("_"):
            raise AttributeError(name)
        values = self.as_dict()
        if name not in values:
            raise AttributeError(f"no threshold {name!r}; the monitor has {', '.join(values)}")
        return values[name]

    def __setattr__(self, name: str, value: Any) -> None:
        self._change(name, value)

    def __delattr__(self, name: str) -> None:
        """A plugin's override removed: the global value applies again."""
        if self._plugin_id is None:
            raise AttributeError("only a plugin's override can be removed")
        self._change(name, None)

    def _change(self, name: str, value: float | None) -> None:
        if self._plugin_id is None:
            body: dict[str, Any] = {"global": {name: value}}
        else:
            body = {"plugins": {self._plugin_id: {name: value}}}
        self._monitor.call("PUT", PATH, body)

    def __repr__(self) -> str:
        where = f" of {self._plugin_id}" if self._plugin_id else ""
        return f"<thresholds{where} at {self._monitor.url}>"
