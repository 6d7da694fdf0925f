"""`plugin-monitor webhooks add|list|remove|test`: webhooks from the command
line, beside a running monitor or without one (it takes them up within
seconds). A URL and its header values go to the secret store, never to the
settings file, the log or this command's output (shown masked)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.actor import cli_actor
from desktop_app.errors import OperatorError
from desktop_app.models.levels import AlertLevel
from desktop_app.models.timestamps import local_minute
from desktop_app.models.webhooks import Webhook
from desktop_app.services.webhooks.post import SIGNATURE_HEADER

if TYPE_CHECKING:
    from desktop_app.services.webhooks.service import WebhookService


def add_webhooks_command(commands: Any, common: argparse.ArgumentParser) -> None:
    webhooks = commands.add_parser(
        "webhooks", help="POST alerts to other tools (Alertmanager's webhook format)"
    )
    actions = webhooks.add_subparsers(dest="webhooks_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="send notified alerts to URL")
    add.add_argument("url", metavar="URL", help="https:// (certificate verified) or http://")
    add.add_argument(
        "--min-level", default="warning", help="the lowest level sent (default: warning)"
    )
    add.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="NAME:VALUE",
        help="an extra header, e.g. 'Authorization:Bearer abc' (repeatable)",
    )
    add.add_argument(
        "--hmac-secret",
        action="store_true",
        help=f"sign each body ({SIGNATURE_HEADER}); the secret is printed once",
    )
    actions.add_parser("list", parents=[common], help="the webhooks (URLs masked)")
    remove = actions.add_parser("remove", parents=[common], help="stop sending to a webhook")
    remove.add_argument("webhook_id", type=int, metavar="ID")
    test = actions.add_parser("test", parents=[common], help="POST a test alert now")
    test.add_argument("webhook_id", type=int, metavar="ID")


def shown(webhook: Webhook) -> str:
    headers = f" headers: {', '.join(webhook.header_names)}" if webhook.header_names else ""
    signed = " signed" if webhook.signed else ""
    made = local_minute(webhook.created_at)
    return (
        f"#{webhook.id} {webhook.shown_url} from {webhook.min_level.label}{signed}{headers} "
        f"(added {made} by {webhook.created_by})"
    )


def run_webhooks(args: argparse.Namespace, data_dir: Path) -> int:
    """Imported here: the parser is built for every command, the database
    only for this one."""
    from desktop_app.cli.offline import open_data_folder
    from desktop_app.services.secrets import SecretStore
    from desktop_app.services.storage.webhooks import WebhookRows
    from desktop_app.services.webhooks.service import WebhookService

    _settings, engine = open_data_folder(data_dir)
    service = WebhookService(WebhookRows(engine), SecretStore(data_dir))
    actor = cli_actor()
    try:
        return _run(args, service, actor)
    except ValueError as error:
        raise OperatorError(str(error)) from None
    finally:
        engine.dispose()


def _run(args: argparse.Namespace, service: WebhookService, actor: str) -> int:
    from desktop_app.services.webhooks.service import parse_header

    if args.webhooks_command == "add":
        webhook, secret = service.add(
            url=args.url,
            min_level=AlertLevel.parse(args.min_level),
            headers=dict(parse_header(text) for text in args.header),
            sign=args.hmac_secret,
            actor=actor,
        )
        print(f"added: {shown(webhook)}")
        if secret is not None:
            print(f"signing secret (shown only now, keep it with the receiver): {secret}")
    elif args.webhooks_command == "list":
        current = service.current()
        print("\n".join(shown(webhook) for webhook in current) or "no webhooks")
    elif args.webhooks_command == "remove":
        print(f"removed: {shown(service.remove(args.webhook_id, actor))}")
    else:
        error = service.send_test(args.webhook_id)
        if error is not None:
            raise OperatorError(f"webhook {args.webhook_id}: not delivered: {error}")
        print(f"webhook {args.webhook_id}: test alert delivered")
    return 0
