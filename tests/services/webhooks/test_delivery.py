"""Webhook delivery against a real receiver on loopback: retries with
back-off, failures named in health, redirects and untrusted certificates
refused, and a publisher that never waits for a receiver."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.models.alerts import Alert, AlertEvent, AlertEventKind, AlertStatus
from desktop_app.models.levels import AlertLevel
from desktop_app.services.secrets import SecretStore
from desktop_app.services.storage.database import open_database
from desktop_app.services.storage.webhooks import WebhookRows
from desktop_app.services.webhooks.delivery import WebhookDelivery
from desktop_app.services.webhooks.service import WebhookService
from desktop_app.services.workers import deadline_in
from tests.certificates import make_certificate
from tests.services.webhooks.receiver import Receiver, receiving


@pytest.fixture
def service(tmp_path: Path) -> Iterator[WebhookService]:
    engine = open_database(tmp_path / "m.db")
    yield WebhookService(WebhookRows(engine), SecretStore(tmp_path))
    engine.dispose()


@pytest.fixture
def delivery(service: WebhookService) -> Iterator[WebhookDelivery]:
    worker = WebhookDelivery(
        service,
        summary=lambda alert: alert.message,
        external_url=lambda: "",
        retry_delays=(0.05, 0.05, 0.05),
    )
    yield worker
    worker.stop(deadline_in(5))


def event(alert_id: int = 1, kind: AlertEventKind = AlertEventKind.RAISED) -> AlertEvent:
    alert = Alert(
        alert_id, "app", "cpu", AlertLevel.CRITICAL, AlertStatus.ACTIVE, "CPU", 99, 95, 1, 1
    )
    return AlertEvent(alert_id, kind, alert, 1.0, notify=True)


def start_with(service: WebhookService, delivery: WebhookDelivery, receiver: Receiver) -> None:
    service.add(url=receiver.url, min_level=AlertLevel.INFO, headers={}, sign=False, actor="t")
    delivery.start()


def wait_until(done: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.02)


def test_a_busy_receiver_gets_the_event_after_retries(
    service: WebhookService, delivery: WebhookDelivery
) -> None:
    with receiving() as receiver:
        receiver.answers.extend([503, 500])
        start_with(service, delivery, receiver)
        delivery(event())
        receiver.wait_for(3)
        wait_until(lambda: delivery.health().details["delivered"] == 1)
        health = delivery.health()
        assert (health.details["delivered"], health.details["failed"], health.error) == (1, 0, None)


@pytest.mark.expect_log_warnings  # each failed notification is logged as an error
def test_a_refusal_is_not_retried_is_named_in_health_and_clears_on_success(
    service: WebhookService, delivery: WebhookDelivery
) -> None:
    with receiving() as receiver:
        receiver.answers.append(404)
        start_with(service, delivery, receiver)
        delivery(event(1))
        receiver.wait_for(1)
        wait_until(lambda: delivery.health().details["failed"] == 1)
        health = delivery.health()
        assert health.error is not None and "HTTP 404 Not Found, after 1 try" in health.error
        assert "secret-token" not in health.error, "the URL is shown masked"
        delivery(event(2))
        receiver.wait_for(2)
        wait_until(lambda: delivery.health().details["delivered"] == 1)
        assert delivery.health().error is None
        assert len(receiver.received) == 2


@pytest.mark.expect_log_warnings  # each failed notification is logged as an error
def test_a_receiver_that_stays_down_is_reported_after_the_last_try(
    service: WebhookService, delivery: WebhookDelivery
) -> None:
    with receiving() as receiver:
        receiver.answers.extend([503] * 10)
        start_with(service, delivery, receiver)
        delivery(event())
        wait_until(lambda: delivery.health().details["failed"] == 1)
        assert len(receiver.received) == 4, "the first try and three retries"
        assert "HTTP 503" in (delivery.health().error or "")


@pytest.mark.expect_log_warnings  # each failed notification is logged as an error
def test_redirects_are_refused_and_never_followed(
    service: WebhookService, delivery: WebhookDelivery
) -> None:
    with receiving() as receiver, receiving("/elsewhere") as elsewhere:
        receiver.answers.append(302)
        receiver.location = elsewhere.url
        start_with(service, delivery, receiver)
        delivery(event())
        wait_until(lambda: delivery.health().details["failed"] == 1)
        assert "HTTP 302" in (delivery.health().error or "")
        assert "redirects are not followed" in (delivery.health().error or "")
        assert elsewhere.received == []


@pytest.mark.expect_log_warnings  # each failed notification is logged as an error
def test_an_untrusted_certificate_is_refused(
    service: WebhookService, delivery: WebhookDelivery, tmp_path: Path
) -> None:
    with receiving(certificate=make_certificate(tmp_path / "tls")) as receiver:
        start_with(service, delivery, receiver)
        delivery(event())
        wait_until(lambda: delivery.health().details["failed"] == 1)
        assert "TLS certificate not trusted" in (delivery.health().error or "")
        assert receiver.received == []


def test_the_publisher_never_waits_for_a_slow_receiver(
    service: WebhookService, delivery: WebhookDelivery
) -> None:
    with receiving() as receiver:
        receiver.stall_seconds = 1.0
        start_with(service, delivery, receiver)
        for alert_id in range(1, 6):
            delivery(event(alert_id))
        assert receiver.received == [], "all five were handed over before the first arrived"
        delivered = receiver.wait_for(5)
        seqs = [d.message.alerts[0].fingerprint for d in delivered]
        assert len(set(seqs)) == 5, "each event once, in order"


def test_a_lost_secret_is_a_failure_named_in_health(
    service: WebhookService, delivery: WebhookDelivery, tmp_path: Path
) -> None:
    webhook, _ = service.add(
        url="http://127.0.0.1:9/x", min_level=AlertLevel.INFO, headers={}, sign=False, actor="t"
    )
    store = SecretStore(tmp_path)
    kept = store.get(webhook.secret_name)
    assert kept is not None
    store.delete(webhook.secret_name)
    delivery.start()
    assert "missing from the secret store" in (delivery.health().error or "")
    store.set(webhook.secret_name, kept)  # the store works again (an unlocked keyring)
    delivery.refresh_now()
    wait_until(lambda: delivery.health().error is None)
    assert delivery.health().error is None
