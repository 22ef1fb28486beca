"""Signature cost per article against text length: our MinHash vs plain datasketch.

Both sign the same 3-word shingles with 128 permutations; datasketch hashes each shingle with
SHA-1 in Python (its default), ours hashes each word once and combines shingles in numpy. The
times include tokenising; ours also includes the 32 band keys. One core, best of 3 rounds.

    python bench/dedup_signature.py [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasketch import MinHash

from monitor.dedup import DedupSettings, band_keys, signature_for
from monitor.dedup.text import folded_words

REPO = Path(__file__).resolve().parents[1]
BUCKETS = [(0, 300), (300, 700), (700, 1500), (1500, 10**9)]


def datasketch_signature(text: str, settings: DedupSettings) -> MinHash:
    words = folded_words(text, settings.max_tokens)
    size = settings.shingle_size
    shingles = {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}
    minhash = MinHash(num_perm=settings.num_perm, seed=1)
    minhash.update_batch(list(shingles))
    return minhash


def best_time(function, texts: list[str], settings: DedupSettings) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            function(text, settings)
        best = min(best, time.perf_counter() - start)
    return best / len(texts) * 1e3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "fundus")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"error: Fundus data not found at {args.data} (give --data DIR)", file=sys.stderr)
        return 1
    settings = DedupSettings()
    texts = []
    for path in sorted(args.data.glob("*/*.expected.json")):
        body = json.loads(path.read_text(encoding="utf-8"))["expected"].get("body_text") or ""
        if len(body.split()) >= 50:
            texts.append(body)

    def ours(text: str, s: DedupSettings) -> None:
        signature = signature_for(text, s)
        if signature is not None:
            band_keys(signature)

    print(f"{'words':>12}{'texts':>7}{'ours ms':>10}{'datasketch ms':>15}{'speed-up':>10}")
    for low, high in BUCKETS:
        chosen = [t for t in texts if low <= len(t.split()) < high]
        if not chosen:
            continue
        mine = best_time(ours, chosen, settings)
        theirs = best_time(datasketch_signature, chosen, settings)
        label = f"{low}-{high}" if high < 10**9 else f"{low}+"
        print(f"{label:>12}{len(chosen):>7}{mine:>10.3f}{theirs:>15.3f}{theirs / mine:>9.1f}x")
    mine = best_time(ours, texts, settings)
    theirs = best_time(datasketch_signature, texts, settings)
    print(f"{'all':>12}{len(texts):>7}{mine:>10.3f}{theirs:>15.3f}{theirs / mine:>9.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
