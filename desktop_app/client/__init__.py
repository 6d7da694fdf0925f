"""Plugin Monitor from any Python program (R5's Python form, R27).

    from desktop_app.client import Monitor, Pusher

    monitor = Monitor()                    # this machine's monitor, its local credential
    monitor.thresholds.cpu_threshold = 70.0
    monitor.thresholds.plugin("billing").cpu_threshold = 60.0
    monitor.push("billing", cpu_usage=12.5, memory_usage=40.1)

    with Pusher(monitor) as pusher:        # batched, in the background
        pusher.push("billing", cpu_usage=12.5, queue_depth=3)

Imports no Qt and no server code.
"""

from desktop_app.client.monitor import Monitor, MonitorError
from desktop_app.client.pusher import Pusher, PusherStats
from desktop_app.client.thresholds import Thresholds

__all__ = ["Monitor", "MonitorError", "Pusher", "PusherStats", "Thresholds"]
