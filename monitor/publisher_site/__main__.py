"""``python -m monitor.publisher_site``: serve a synthetic or test site until stopped."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from monitor.publisher_site.corpus import crawl_test_site, synthetic_site
from monitor.publisher_site.process import READY_PREFIX
from monitor.publisher_site.server import serve_site
from monitor.publisher_site.templates import bundled_templates, load_templates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor.publisher_site", description=__doc__)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--synthetic", type=int, metavar="N", help="N synthetic articles")
    what.add_argument("--test-site", action="store_true", help="the end-to-end test site")
    parser.add_argument("--seed", type=int, default=0, help="random seed of synthetic articles")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--templates", type=Path, help="folder of .html/.html.gz templates")
    args = parser.parse_args(argv)

    templates = load_templates(args.templates) if args.templates else bundled_templates()
    if args.synthetic is not None:
        site = synthetic_site(args.synthetic, templates, seed=args.seed)
    else:
        fallback = templates[sorted(templates)[0]]
        site = crawl_test_site({n: fallback for n in _TEST_NAMES} | templates)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with serve_site(site, args.host, args.port) as running:
        running.prerender()
        print(READY_PREFIX + running.base_url, flush=True)
        stop.wait()
    return 0


# The test site names publisher templates; with plain templates, each name maps to one of them.
_TEST_NAMES = ("lemonde", "lefigaro", "lesechos", "euronews")

if __name__ == "__main__":
    sys.exit(main())
