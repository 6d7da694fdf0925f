"""Talking to the monitor that runs on this data folder, from the command
line: over loopback, with the folder's local admin credential (security
part 1), so an operator on the machine needs no key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from desktop_app.client.local import api_settings, local_token, own_api_url, verify_for
from desktop_app.errors import OperatorError

TIMEOUT_SECONDS = 60.0  # a stop waits up to the plugin's stop timeout


class MonitorClient:
    def __init__(self, data_dir: Path) -> None:
        api = api_settings(data_dir)
        token = local_token(data_dir)
        verify = verify_for(api)
        self.url = own_api_url(api)
        self._data_dir = data_dir
        self._client = httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token}"},
            verify=verify,
            timeout=TIMEOUT_SECONDS,
        )

    def __enter__(self) -> MonitorClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._client.close()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The answer's JSON; an refusal becomes an OperatorError with its detail."""
        try:
            answer = self._client.request(method, path, json=body)
        except httpx.TransportError as error:
            raise OperatorError(
                f"no monitor answers at {self.url} for the data folder {self._data_dir} "
                f"({error.__class__.__name__}); start it with `plugin-monitor serve` or the "
                "console"
            ) from None
        body = (
            answer.json()
            if answer.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        if answer.status_code >= 400:
            raise OperatorError(str(body.get("detail") or f"HTTP {answer.status_code}"))
        return body
