"""The keep policy: the newest backup of each of the last hours, days and
weeks that have one (UTC; ISO weeks start on Monday)."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop_app.services.backup.keep import to_keep

HOUR, DAY = 3600.0, 86_400.0
NOW = datetime(2026, 11, 27, 12, 30, tzinfo=UTC).timestamp()  # a Friday


def at(day: int, hour: int, minute: int = 30) -> float:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC).timestamp()


def test_hourly_backups_for_five_weeks_keep_24_hourly_7_daily_and_4_weekly() -> None:
    taken = [NOW - n * HOUR for n in range(35 * 24)]
    kept = to_keep(taken, hourly=24, daily=7, weekly=4)
    hourly = {NOW - n * HOUR for n in range(24)}  # back to 13:30 yesterday
    daily = {at(day, 23) for day in (21, 22, 23, 24, 25)}  # the 26th's 23:30 is hourly
    weekly = {at(15, 23), at(8, 23)}  # Sundays; the 22nd is daily, this week's is NOW
    assert kept == hourly | daily | weekly


def test_the_newest_of_each_period_is_the_one_kept() -> None:
    morning, evening, earlier = at(27, 2), at(27, 10), at(25, 9)
    assert to_keep([morning, evening, earlier], hourly=1, daily=2, weekly=0) == {evening, earlier}


def test_the_newest_is_kept_whatever_the_counts_and_nothing_comes_of_nothing() -> None:
    assert to_keep([NOW - DAY, NOW], hourly=0, daily=0, weekly=0) == {NOW}
    assert to_keep([], hourly=24, daily=7, weekly=4) == set()
