"""The API of a running monitor: the monitor's parts handed to `build_api`.

Nothing in `api/` knows the runtime; this is where the two meet. The API's
modules are imported when it is built, not with this module: collection
starts before FastAPI has loaded, and a monitor without API never loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.services.api.server import ApiServer
    from desktop_app.services.runtime import PluginMonitor


def build_monitor_api(monitor: PluginMonitor) -> ApiServer:
    """The server (a `Worker`, not yet started), with the local credential
    made if this data folder has none yet."""
    from desktop_app.services.api.factory import ApiParts, build_api
    from desktop_app.services.auth.keys import ApiKeyStore
    from desktop_app.services.auth.local import ensure_local_credential
    from desktop_app.services.prometheus import MetricsPage, Sources
    from desktop_app.services.storage.writer_items import COMMIT_BOUNDS

    keys = ApiKeyStore(monitor.database, monitor.writer.run_job)
    ensure_local_credential(keys, monitor.secrets)
    monitor.replaced.subscribe(keys.forget_cached)
    metrics_page = MetricsPage(
        Sources(
            values=monitor.exposed,
            open_alerts=monitor.engine.open_alerts,
            health=monitor.health,
            commit_seconds=lambda: (
                COMMIT_BOUNDS,
                list(monitor.writer.stats.commit_counts),
                monitor.writer.stats.commit_seconds,
            ),
        )
    )
    parts = ApiParts(
        settings=monitor.api_settings,
        registry=monitor.registry,
        engine=monitor.engine,
        alerts=monitor.alerts,
        analytics=monitor.analytics,
        backtests=monitor.backtests,
        thresholds=monitor.thresholds,
        samples=monitor.samples,
        settings_service=monitor.settings_service,
        silences=monitor.silences,
        webhooks=monitor.webhooks,
        plugins=monitor.plugins,
        keys=keys,
        abuse=monitor.abuse,
        audit=monitor.audit,
        ingest=monitor.ingest_and_notify,
        health=monitor.health,
        check=monitor.check,
        restore=monitor.restores.restore_named,
        database_damaged=monitor.database_check.found,
        prometheus=metrics_page.render,
    )
    return build_api(
        parts, monitor.bus, monitor.problems, monitor.secrets, samples=monitor.samples_bus
    )
