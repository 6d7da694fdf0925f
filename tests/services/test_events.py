import pytest

from desktop_app.services.events import EventBus


@pytest.mark.expect_log_warnings
def test_a_failing_subscriber_never_stops_the_others() -> None:
    bus: EventBus[int] = EventBus()
    got: list[int] = []

    def broken(_event: int) -> None:
        raise RuntimeError("boom")

    bus.subscribe(broken)
    unsubscribe = bus.subscribe(got.append)
    bus.publish(1)
    unsubscribe()
    bus.publish(2)
    assert got == [1]
