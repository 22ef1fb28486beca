"""The monitoring daemon: scheduling, the lock, crawls in child processes, adaptive polling,
maintenance, heartbeat and status. Entry points (the CLI) configure logging and signals."""

import logging

from monitor.daemon.lock import DaemonAlreadyRunning, LockLost
from monitor.daemon.service import Daemon, OnceReport, job_id
from monitor.daemon.settings import DaemonSettings, PollingSettings, daemon_settings
from monitor.daemon.status import Status, read_status

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Daemon",
    "DaemonAlreadyRunning",
    "DaemonSettings",
    "LockLost",
    "OnceReport",
    "PollingSettings",
    "Status",
    "daemon_settings",
    "job_id",
    "read_status",
]
