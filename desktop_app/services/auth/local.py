"""The local admin credential: what lets an operator on this machine use
the command line against the monitor of a data folder without handling keys.

The monitor makes it at first start (an admin API key like any other, listed
by `keys list` and revocable) and keeps its secret in the secret store, which
only the owner of the data folder can read. A revoked or lost credential is
replaced at the next start.
"""

from __future__ import annotations

import logging

from desktop_app.models.auth import Role
from desktop_app.services.auth.keys import ApiKeyStore
from desktop_app.services.secrets import SecretName, SecretStore

log = logging.getLogger("plugin_monitor.auth")

LOCAL_ADMIN_NAME = "local admin (this machine's command line)"
LOCAL_ACTOR = "system (the local credential)"


def ensure_local_credential(keys: ApiKeyStore, secrets: SecretStore) -> None:
    """Keep one working local admin key whose secret is in `secrets`."""
    secret = secrets.get(SecretName.LOCAL_ADMIN)
    principal = keys.check(secret) if secret else None
    if principal is not None and principal.role is Role.ADMIN:
        return
    for key in keys.list():
        if key.name == LOCAL_ADMIN_NAME and not key.revoked:
            keys.revoke(key.id, actor=LOCAL_ACTOR)  # its secret is lost: nobody can use it any more
    key, secret = keys.create(name=LOCAL_ADMIN_NAME, role=Role.ADMIN, actor=LOCAL_ACTOR)
    secrets.set(SecretName.LOCAL_ADMIN, secret)
    log.info("local admin credential created (API key %d), kept in %s", key.id, secrets.location)


def local_credential(secrets: SecretStore) -> str | None:
    return secrets.get(SecretName.LOCAL_ADMIN)
