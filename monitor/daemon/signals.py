"""SIGTERM and SIGINT ask the daemon to stop; one is enough, the stop is bounded."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

log = logging.getLogger(__name__)


def stop_on_signals(stop: threading.Event) -> None:
    """Install handlers (main thread only) that set ``stop``."""

    def handle(signum: int, _frame: FrameType | None) -> None:
        if not stop.is_set():
            log.info("received %s: stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
