"""Whether an address is this machine's own: the API, the CLI and the client
all decide by it (a local credential, an unkeyed loopback client)."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
