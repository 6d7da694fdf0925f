from desktop_app.models.levels import AlertLevel
from desktop_app.services.alerts.throttle import NotificationThrottle

W, C = AlertLevel.WARNING, AlertLevel.CRITICAL


def test_a_repeat_within_the_window_is_held_back() -> None:
    throttle = NotificationThrottle(60)
    assert throttle.should_notify("k", W, 0)
    assert not throttle.should_notify("k", W, 59.9)
    assert throttle.should_notify("k", W, 60.0)


def test_a_worse_level_always_notifies() -> None:
    throttle = NotificationThrottle(60)
    assert throttle.should_notify("k", W, 0)
    assert throttle.should_notify("k", C, 1)
    assert not throttle.should_notify("k", W, 2)


def test_keys_are_independent_and_zero_turns_throttling_off() -> None:
    throttle = NotificationThrottle(60)
    assert throttle.should_notify("a", W, 0)
    assert throttle.should_notify("b", W, 0)
    off = NotificationThrottle(0)
    assert off.should_notify("a", W, 0)
    assert off.should_notify("a", W, 0)
