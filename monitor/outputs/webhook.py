"""The webhook: POST a JSON document, retried with backoff; the caller keeps what failed.

Delivery is at least once: a POST whose answer is lost is sent again, so receivers should use
each article's ``id`` to drop repeats.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from monitor.errors import MonitorError

log = logging.getLogger(__name__)
USER_AGENT = "monitor/0.1 (media monitoring webhook)"


class WebhookError(MonitorError):
    """The webhook did not accept the document after every try."""


def post_json(
    url: str,
    document: dict[str, Any],
    *,
    timeout: float,
    tries: int,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """POST ``document``; any 2xx is success. 4xx other than 408/429 is not retried (the
    receiver refuses this document, trying again in a second will not change its mind)."""
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    last = ""
    for attempt in range(1, tries + 1):
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                answer.read(65536)
                return
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise WebhookError(f"webhook {url} refused the document: {last}") from None
        except (urllib.error.URLError, OSError) as exc:
            last = str(getattr(exc, "reason", exc))
        log.warning("webhook %s: try %d/%d failed: %s", url, attempt, tries, last)
        if attempt < tries:
            sleep(min(30.0, 2.0 ** (attempt - 1)))
    raise WebhookError(f"webhook {url}: {tries} tries failed, last: {last}")
