"""Committed samples as stream messages, for clients that asked for them
(`subscribe_samples`): one message a plugin and committed group, shaped as
the columnar push (`{"type": "samples", "plugin_id", "timestamps",
"metrics": {"cpu_usage": [...], ..., "custom": {...}}}`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from desktop_app.client.pusher import columns_of
from desktop_app.models.samples import Sample, SampleBlock, public_name
from desktop_app.services.forwarding import push_metrics


def sample_messages(samples: Sequence[Sample]) -> list[tuple[str, str]]:
    """(plugin key, message text) for each plugin among `samples`."""
    if isinstance(samples, SampleBlock) and not samples.extras:
        return [(samples.plugin_key, _text(_block_body(samples)))]
    by_plugin: dict[str, list[tuple[str, float, dict[str, Any]]]] = {}
    for sample in samples:
        moment = (sample.plugin_key, sample.ts, push_metrics(sample))
        by_plugin.setdefault(sample.plugin_key, []).append(moment)
    return [(key, _text(columns_of(key, taken))) for key, taken in by_plugin.items()]


def _block_body(block: SampleBlock) -> dict[str, Any]:
    metrics: dict[str, Any] = {public_name(name): column for name, column in block.values.items()}
    if block.failed is not None:
        metrics["failed"] = block.failed
    return {"plugin_id": block.plugin_key, "timestamps": block.times, "metrics": metrics}


def _text(body: dict[str, Any]) -> str:
    return json.dumps({"type": "samples", **body}, allow_nan=False)
