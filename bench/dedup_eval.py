"""Pair precision/recall of near-duplicate detection on copies built from real text.

Stories come from the seed texts and the Fundus bodies (``../shared/data/fundus/*/*.expected.json``,
``body_text``). Each story gets syndicated copies made the way syndication changes text (new
headline line, dropped last paragraphs, an added intro line, sentences reordered in one
paragraph, typo fixes, a different boilerplate wrapper, and mixes of these); distinct stories
are also given traps that must never merge (the same long site boilerplate around two different
articles, also with short bodies; an article quoting a paragraph of another; different articles
of one publisher or on one subject — the seeds are five articles on Mistral AI).

Every document goes through the full candidate path — ``signature_for`` → ``band_keys`` →
an in-memory ``band_key → ids`` index standing in for the database rows → ``confirm_duplicate``
— and the confirmed pairs are scored against the story labels: directly, and after
``assign_clusters`` (every pair inside a predicted cluster counts).

Two disjoint splits: ``tune`` (generation seed 1, half of the stories) was used to choose the
defaults; ``holdout`` (seed 2, the other half) was not looked at while tuning.

    python bench/dedup_eval.py [--split tune|holdout|both] [--data DIR] [--timing]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.dedup import (
    ClusterMember,
    DedupSettings,
    assign_clusters,
    band_keys,
    confirm_duplicate,
    signature_for,
)

REPO = Path(__file__).resolve().parents[1]
SPLIT_SEEDS = {"tune": 1, "holdout": 2}
MIN_WORDS = 120

HEADER_BOILERPLATE = (
    "Accueil Économie Tech & Médias. Publié le {day} à 09h30, mis à jour à 11h02. Temps de "
    "lecture : 4 min. Partager sur Facebook Partager sur X Partager sur LinkedIn Envoyer par "
    "e-mail Copier le lien. Offrir cet article. Écouter cet article. Vous pouvez offrir cet "
    "article à un proche : il pourra le lire gratuitement pendant 7 jours."
)
FOOTER_BOILERPLATE = (
    "Cet article est réservé aux abonnés. Déjà abonné ? Connectez-vous. Recevez chaque matin "
    "notre newsletter Tech : l'essentiel de l'actualité du numérique, de l'intelligence "
    "artificielle et des start-up, sélectionné par la rédaction. Inscription gratuite, "
    "désinscription en un clic. En vous inscrivant, vous acceptez nos conditions générales "
    "d'utilisation et notre politique de confidentialité. Sur le même sujet : les dix "
    "entreprises qui comptent dans l'IA européenne ; comment les géants américains se "
    "disputent les talents ; le guide pour comprendre les grands modèles de langage. "
    "Les plus lus : notre sélection de la semaine. © Société éditrice du journal, 2024. "
    "Tous droits réservés. Toute reproduction, même partielle, est interdite sans "
    "autorisation. Contacter la rédaction. Mentions légales. Gérer mes cookies."
)
SYNDICATION_WRAPPERS = [
    ("(AFP) —", "© Agence France-Presse. Tous droits de reproduction réservés."),
    ("Par la rédaction avec Reuters.", "Lire aussi sur notre site : toute l'actualité tech."),
    ("Article publié initialement sur notre site partenaire.", "Retrouvez-nous sur Google News."),
    ("Dépêche de l'agence, reprise sans modification.", "Source : AFP. Crédit photo : DR."),
]
INTRO_LINES = [
    "MISE À JOUR : cet article a été actualisé avec de nouvelles informations.",
    "Ce que l'on sait à ce stade.",
    "Notre journaliste fait le point sur une information révélée ce matin.",
    "Information publiée en partenariat avec notre confrère.",
]
HEADLINES = [
    "Ce qu'il faut retenir",
    "L'essentiel de l'actualité du jour",
    "Une annonce qui fait réagir",
    "Décryptage : les enjeux d'une décision attendue",
]


@dataclass(frozen=True)
class Doc:
    id: str
    story: str
    kind: str
    text: str


def load_stories(data_dir: Path) -> dict[str, tuple[str, str]]:
    """story id → (group, text), for texts long enough to be judged (word-based languages).

    The group is the story's label: two Fundus pages with the same URL (taz.de holds one
    article saved in 2023 and again, revised, in 2024) are one story, not a trap.
    """
    stories: dict[str, tuple[str, str]] = {}
    group_of_url: dict[str, str] = {}
    for path in sorted((REPO / "seeds").glob("*.txt")):
        text = re.sub(r"^ date \d{4}-\d{2} ", "", path.read_text(encoding="utf-8"))
        stories[f"seed-{path.stem[:3]}"] = (f"seed-{path.stem[:3]}", text)
    for path in sorted(data_dir.glob("*/*.expected.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        lines = (record["expected"].get("body_text") or "").splitlines()
        text = "\n\n".join(line.strip() for line in lines if line.strip())
        if len(re.findall(r"\w+", text)) >= MIN_WORDS:
            story = path.name.removesuffix(".expected.json")
            stories[story] = (group_of_url.setdefault(record["url"], story), text)
    return stories


def in_split(story_id: str, split: str) -> bool:
    digit = hashlib.sha256(story_id.encode()).digest()[0] % 2
    return story_id.startswith("seed-") or digit == (0 if split == "tune" else 1)


# --- syndication edits --------------------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def new_headline(text: str, rng: random.Random) -> str:
    return f"{rng.choice(HEADLINES)}\n\n{text}"


def drop_last_paragraphs(text: str, rng: random.Random) -> str:
    paras = paragraphs(text)
    words = [len(p.split()) for p in paras]
    total, keep = sum(words), len(paras)
    target = rng.uniform(0.45, 0.85) * total
    while keep > 1 and sum(words[: keep - 1]) >= target:
        keep -= 1
    return "\n\n".join(paras[:keep])


def intro_line(text: str, rng: random.Random) -> str:
    return f"{rng.choice(INTRO_LINES)}\n\n{text}"


def reorder_sentences(text: str, rng: random.Random) -> str:
    paras = paragraphs(text)
    splittable = [i for i, p in enumerate(paras) if len(re.split(r"(?<=[.!?])\s+", p)) >= 2]
    if not splittable:
        return text
    index = rng.choice(splittable)
    sentences = re.split(r"(?<=[.!?])\s+", paras[index])
    rng.shuffle(sentences)
    paras[index] = " ".join(sentences)
    return "\n\n".join(paras)


def typo_fixes(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(words))
        word = words[i]
        if len(word) > 3:
            j = rng.randrange(1, len(word) - 2)
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


def other_wrapper(text: str, rng: random.Random) -> str:
    head, foot = rng.choice(SYNDICATION_WRAPPERS)
    return f"{head}\n\n{text}\n\n{foot}"


EDITS = {
    "headline": new_headline,
    "truncated": drop_last_paragraphs,
    "intro": intro_line,
    "reordered": reorder_sentences,
    "typos": typo_fixes,
    "wrapper": other_wrapper,
}


def with_site_boilerplate(text: str, day: str) -> str:
    return f"{HEADER_BOILERPLATE.format(day=day)}\n\n{text}\n\n{FOOTER_BOILERPLATE}"


def first_words(text: str, count: int) -> str:
    kept, total = [], 0
    for para in paragraphs(text):
        kept.append(para)
        total += len(para.split())
        if total >= count:
            break
    return "\n\n".join(kept)


def build_documents(stories: dict[str, tuple[str, str]], seed: int) -> list[Doc]:
    rng = random.Random(seed)
    ids = sorted(stories)
    docs: list[Doc] = []
    for story in ids:
        group, text = stories[story]
        docs.append(Doc(f"{story}/original", group, "original", text))
        for name, edit in EDITS.items():
            docs.append(Doc(f"{story}/{name}", group, name, edit(text, rng)))
        for n in range(2):
            names = rng.sample(sorted(EDITS), rng.randint(2, 3))
            copy = text
            for name in names:
                copy = EDITS[name](copy, rng)
            docs.append(Doc(f"{story}/mix{n}", group, "mix:" + "+".join(names), copy))
        # Traps (each is its own story's text, so it must match only its own story):
        # the same long site boilerplate around every article, full and with a short body...
        day = "26 février 2024"
        docs.append(
            Doc(f"{story}/site", group, "site-boilerplate", with_site_boilerplate(text, day))
        )
        short = first_words(text, rng.randint(120, 200))
        docs.append(
            Doc(
                f"{story}/site-short",
                f"{group}#short",
                "site-boilerplate-short",
                with_site_boilerplate(short, day),
            )
        )
        # ...and an article quoting one paragraph of another story.
        other = rng.choice([s for s in ids if stories[s][0] != group])
        quote = rng.choice(paragraphs(stories[other][1]))
        quoted = paragraphs(text)
        quoted.insert(rng.randrange(1, len(quoted) + 1), f"« {quote} »")
        docs.append(Doc(f"{story}/quoting", group, "quoting-another", "\n\n".join(quoted)))
    return docs


def true_pairs(docs: list[Doc]) -> set[frozenset[str]]:
    by_story: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        by_story[doc.story].append(doc.id)
    return {frozenset(p) for ids in by_story.values() for p in combinations(ids, 2)}


def ambiguous_pairs(docs: list[Doc]) -> set[frozenset[str]]:
    """Pairs scored neither way: a short-body boilerplate page and its own story's documents.

    That page is both a truncated copy of its story and mostly boilerplate; merging it with its
    story is right, leaving it apart defensible. Its pairs with other stories (which share the
    same boilerplate) are the trap, and they are scored.
    """
    by_base: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_base[doc.story.split("#")[0]].append(doc)
    return {
        frozenset((a.id, b.id))
        for group in by_base.values()
        for a, b in combinations(group, 2)
        if (a.story != b.story)
    }


def predicted_pairs(docs: list[Doc], settings: DedupSettings) -> tuple[set[frozenset[str]], dict]:
    index: dict[int, list[str]] = defaultdict(list)
    text_of = {doc.id: doc.text for doc in docs}
    confirmed: set[frozenset[str]] = set()
    candidates = 0
    seconds = {"signature": 0.0, "lookup": 0.0, "confirm": 0.0}
    for doc in docs:
        start = time.perf_counter()
        signature = signature_for(doc.text, settings)
        keys = band_keys(signature) if signature else []
        seconds["signature"] += time.perf_counter() - start
        start = time.perf_counter()
        found = {other for key in keys for other in index.get(key, ())}
        for key in keys:
            index[key].append(doc.id)
        seconds["lookup"] += time.perf_counter() - start
        start = time.perf_counter()
        for other in sorted(found):
            candidates += 1
            if confirm_duplicate(doc.text, text_of[other], settings).is_duplicate:
                confirmed.add(frozenset((doc.id, other)))
        seconds["confirm"] += time.perf_counter() - start
    return confirmed, {"candidates": candidates, **seconds}


def clustered_pairs(docs: list[Doc], confirmed: set[frozenset[str]]) -> set[frozenset[str]]:
    moment = datetime(2024, 2, 26, tzinfo=UTC)
    members = [ClusterMember(doc.id, moment, moment) for doc in docs]
    assignment = assign_clusters(members, [tuple(sorted(p)) for p in confirmed])
    clusters: dict[str, list[str]] = defaultdict(list)
    for doc_id, result in assignment.items():
        clusters[result.cluster_id].append(doc_id)
    return {frozenset(p) for ids in clusters.values() for p in combinations(sorted(ids), 2)}


def score(predicted: set, truth: set) -> tuple[float, float]:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    return precision, tp / len(truth) if truth else 1.0


def evaluate(split: str, stories: dict, settings: DedupSettings) -> None:
    chosen = {k: v for k, v in stories.items() if in_split(k, split)}
    docs = build_documents(chosen, SPLIT_SEEDS[split])
    truth = true_pairs(docs)
    ignored = ambiguous_pairs(docs)
    confirmed, stats = predicted_pairs(docs, settings)
    clustered = clustered_pairs(docs, confirmed) - ignored
    confirmed_scored = confirmed - ignored
    print(
        f"\n## split {split}: {len(chosen)} stories, {len(docs)} documents, "
        f"{len(truth)} true pairs, {stats['candidates']} LSH candidates"
    )
    print(f"{'measure':<28}{'precision':>10}{'recall':>9}{'pairs':>8}")
    for name, predicted in (("confirmed pairs", confirmed_scored), ("after clustering", clustered)):
        p, r = score(predicted, truth)
        print(f"{name:<28}{p:>10.4f}{r:>9.4f}{len(predicted):>8}")
    kinds = {doc.id: doc.kind.split(":")[0] for doc in docs}
    print(f"\n{'copy kind (vs its original)':<28}{'recall':>9}{'pairs':>8}")
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for doc in docs:
        if doc.kind not in ("original", "site-boilerplate-short"):
            by_kind[kinds[doc.id]].append(
                frozenset((doc.id, doc.id.split("/")[0] + "/original")) in confirmed
            )
    for kind, hits in sorted(by_kind.items()):
        print(f"{kind:<28}{sum(hits) / len(hits):>9.4f}{len(hits):>8}")
    false = sorted(confirmed_scored - truth, key=sorted)
    text_of = {d.id: d.text for d in docs}
    print(f"\nfalse merges: {len(false)}")
    for pair in false[:10]:
        a, b = sorted(pair)
        v = confirm_duplicate(text_of[a], text_of[b], settings)
        print(f"  {a} ~ {b}: J={v.jaccard:.3f} C={v.containment:.3f} {v.reason}")
    missed = sorted(truth - confirmed, key=sorted)
    print(f"missed direct pairs: {len(missed)} (first 5 below)")
    for pair in missed[:5]:
        a, b = sorted(pair)
        v = confirm_duplicate(text_of[a], text_of[b], settings)
        print(f"  {a} ~ {b}: J={v.jaccard:.3f} C={v.containment:.3f} {v.reason}")
    n = len(docs)
    print(
        f"\nper document: signature+bands {stats['signature'] / n * 1e3:.3f} ms, "
        f"index lookup {stats['lookup'] / n * 1e3:.3f} ms, "
        f"confirm {stats['confirm'] / n * 1e3:.3f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "fundus")
    parser.add_argument("--split", choices=["tune", "holdout", "both"], default="both")
    parser.add_argument("--shingle-size", type=int)
    parser.add_argument("--bands", type=int)
    parser.add_argument("--jaccard", type=float)
    parser.add_argument("--containment", type=float)
    parser.add_argument("--size-ratio", type=float)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"error: Fundus data not found at {args.data} (give --data DIR)", file=sys.stderr)
        return 1
    overrides = {
        "shingle_size": args.shingle_size,
        "bands": args.bands,
        "jaccard_threshold": args.jaccard,
        "containment_threshold": args.containment,
        "min_size_ratio": args.size_ratio,
    }
    settings = replace(DedupSettings(), **{k: v for k, v in overrides.items() if v is not None})
    print(f"settings: {settings}")
    stories = load_stories(args.data)
    for split in ("tune", "holdout") if args.split == "both" else (args.split,):
        evaluate(split, stories, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
