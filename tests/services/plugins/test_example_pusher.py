"""The example pushing plugin, supervised by a monitor with its API, pushes
through `desktop_app.client` with the monitor's own Python."""

from __future__ import annotations

from pathlib import Path

from desktop_app.models.auth import Role
from desktop_app.services.auth.keys import ApiKeyStore
from tests.helpers import stored_rows, wait_until
from tests.services.api.conftest import start_api_monitor
from tests.services.plugins.conftest import EXAMPLES, FAST_SETTINGS


def test_the_example_pusher_sends_its_samples_through_the_client(data_dir: Path) -> None:
    (data_dir / "config").mkdir(parents=True)
    (data_dir / "config" / "settings.toml").write_text(FAST_SETTINGS)
    monitor = start_api_monitor(data_dir)
    try:
        assert monitor.api is not None
        url = f"http://127.0.0.1:{monitor.api.ports['API']}"
        _key, token = ApiKeyStore(monitor.database).create(name="pusher", role=Role.OPERATOR)
        folder = data_dir / "plugins" / "metrics-pusher"
        folder.mkdir(parents=True)
        (folder / "config").mkdir()
        (folder / "config" / "token").write_text(token)
        (folder / "push.py").write_bytes((EXAMPLES / "metrics-pusher" / "push.py").read_bytes())
        manifest = (EXAMPLES / "metrics-pusher" / "plugin.toml").read_text()
        manifest = manifest.replace("interval = 5", "interval = 0.2")
        manifest = manifest.replace('"http://127.0.0.1:5000"', f'"{url}"')
        (folder / "plugin.toml").write_text(manifest)  # last: the running monitor takes it up

        def pushed() -> int:
            query = "SELECT count(*) FROM samples_readable WHERE plugin = 'metrics-pusher'"
            return int(stored_rows(monitor, query)[0][0])

        wait_until(lambda: pushed() >= 3, 30, "the example's pushes are stored")
        log = (data_dir / "logs" / "plugins").glob("metrics-pusher*")
        assert any("sent so far" in path.read_text() for path in log)
    finally:
        monitor.stop()
