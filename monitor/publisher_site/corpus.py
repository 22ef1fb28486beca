"""The article lists of the sites: the test site, its syndication partner, the demo, benchmarks.

The five seed texts become Mistral AI articles dated in their month (000–002, raw scrapes,
are cleaned with :func:`monitor.cleaning.clean_scrape` first; their days and times are chosen
here, since the seeds give at most a month). Homonym pages (the wind, the ships) and an article
that names Mistral AI in passing sit beside them. The seed files are read from a folder: by
default the copies bundled in this package, so that ``monitor demo`` works from a plain install.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from monitor.cleaning import clean_scrape
from monitor.publisher_site import texts
from monitor.publisher_site.model import PublisherSite, SiteArticle, SiteFaults

MAIN_SITE = "Le Quotidien du Numérique"
WIRE_SITE = "Agence Dépêches Tech"
_DATE_HEADER = re.compile(r"^ date \d{4}-\d{2} ")
_SENTENCE = re.compile(r"(?<=[.!?»])\s+(?=[A-ZÀ-ÖØ-Þ«])")


@dataclass(frozen=True, slots=True)
class SeedPlacement:
    """Where and how a seed text appears on the test site."""

    number: str
    slug: str
    title: str | None  # None: the title recovered from the raw scrape
    published: str
    authors: tuple[str, ...] | None  # None: the authors recovered from the raw scrape
    section: str
    template: str


SEED_PLACEMENTS = (
    SeedPlacement(
        "003",
        "mistral-ai-lance-mistral-large-et-s-allie-a-microsoft",
        "Mistral AI lance Mistral Large et s'allie à Microsoft pour défier OpenAI",
        "2024-02-26T18:45:00+01:00",
        ("Julie Verdier",),
        "tech",
        "lesechos",
    ),
    SeedPlacement(
        "004",
        "mistral-ai-la-start-up-francaise-qui-veut-rivaliser-avec-openai",
        "Mistral AI, les trois Français qui veulent bâtir un modèle de langage souverain",
        "2023-09-14T07:00:00+02:00",
        ("Marc Lefèvre", "Sophie Arnaud"),
        "economie",
        "lemonde",
    ),
    SeedPlacement(
        "000",
        "mistral-le-magicien-francais-de-l-ia",
        None,
        "2024-02-28T11:20:00+01:00",
        None,
        "idees",
        "lefigaro",
    ),
    SeedPlacement(
        "001",
        "le-succes-de-mistral-ai-exaspere-l-ue",
        None,
        "2024-03-01T09:05:00+01:00",
        None,
        "tech",
        "euronews",
    ),
    SeedPlacement(
        "002",
        "mistral-ai-les-defis-qui-attendent-le-prodige-francais",
        None,
        "2024-01-18T06:30:00+01:00",
        None,
        "economie",
        "lesechos",
    ),
)


def bundled_seeds() -> Traversable:
    """The copies of the repository's ``seeds/`` shipped inside this package."""
    return resources.files("monitor.publisher_site") / "seed_texts"


def _seed_file(folder: Path | Traversable, number: str) -> Path | Traversable:
    for entry in folder.iterdir():
        if entry.name.startswith(f"{number}_") and entry.name.endswith(".txt"):
            return entry
    raise FileNotFoundError(f"no seed {number}_*.txt in {folder}")


def seed_article(placement: SeedPlacement, folder: Path | Traversable) -> SiteArticle:
    """One seed as a site article: header removed, raw scrapes cleaned."""
    raw = _seed_file(folder, placement.number).read_text(encoding="utf-8")
    title, authors = placement.title, placement.authors
    if _DATE_HEADER.match(raw):
        text = _DATE_HEADER.sub("", raw, count=1)
    else:
        cleaned = clean_scrape(raw)
        text = cleaned.text
        title = title or cleaned.title
        authors = authors if authors is not None else cleaned.authors
    if not title:
        raise ValueError(f"seed {placement.number}: no title given and none recovered")
    return SiteArticle(
        slug=placement.slug,
        title=title,
        text=text,
        published=datetime.fromisoformat(placement.published),
        authors=authors or (),
        section=placement.section,
        language="fr",
        template=placement.template,
    )


def homonym_articles() -> tuple[SiteArticle, ...]:
    """The pages about other Mistrals, and one that names Mistral AI only in passing."""
    return (
        SiteArticle(
            "le-mistral-souffle-en-rafales-sur-la-vallee-du-rhone",
            "Le mistral souffle en rafales sur la vallée du Rhône",
            texts.page_text("wind_gusts"),
            datetime.fromisoformat("2024-02-11T08:15:00+01:00"),
            ("Paul Garnier",),
            "meteo",
            "fr",
            "euronews",
            relevance="none",
        ),
        SiteArticle(
            "pourquoi-le-mistral-souffle-par-trois-six-ou-neuf-jours",
            "Pourquoi le mistral souffle-t-il par trois, six ou neuf jours ?",
            texts.page_text("wind_cycles"),
            datetime.fromisoformat("2023-11-20T16:40:00+01:00"),
            ("Claire Roux",),
            "meteo",
            "fr",
            "lefigaro",
            relevance="none",
        ),
        SiteArticle(
            "le-porte-helicopteres-mistral-appareille-pour-la-mediterranee",
            "Le porte-hélicoptères Mistral appareille pour la Méditerranée orientale",
            texts.page_text("ship"),
            datetime.fromisoformat("2023-10-31T12:00:00+01:00"),
            ("Antoine Mercier",),
            "international",
            "fr",
            "lemonde",
            relevance="none",
        ),
        SiteArticle(
            "les-start-up-francaises-de-l-ia-recrutent-a-nouveau",
            "Les start-up françaises de l'IA recrutent à nouveau",
            texts.page_text("passing"),
            datetime.fromisoformat("2024-02-20T10:00:00+01:00"),
            ("Nadia Benali",),
            "emploi",
            "fr",
            "euronews",
            relevance="passing",
        ),
    )


def crawl_test_faults() -> SiteFaults:
    """The publisher faults of the end-to-end test site (issue 6, first list), by article."""
    return SiteFaults(
        redirect_chain_to=SEED_PLACEMENTS[0].slug,
        not_found=True,
        flaky_slug=SEED_PLACEMENTS[2].slug,
        flaky_failures=2,
        rate_limited_slug=SEED_PLACEMENTS[3].slug,
        slow_slug="le-mistral-souffle-en-rafales-sur-la-vallee-du-rhone",
        slow_seconds=2.0,
        wrong_charset_slug=SEED_PLACEMENTS[4].slug,
    )


def crawl_test_site(
    templates: Mapping[str, str],
    faults: SiteFaults | None = None,
    seeds: Path | Traversable | None = None,
) -> PublisherSite:
    """The publisher of the end-to-end tests: five seeds, three homonyms, one passing mention.

    Seed 004 is served in windows-1252 (declared in header and meta); the others in UTF-8.
    ``faults`` defaults to :func:`crawl_test_faults`.
    """
    folder = seeds if seeds is not None else bundled_seeds()
    articles = [seed_article(p, folder) for p in SEED_PLACEMENTS]
    articles[1] = replace(articles[1], encoding="windows-1252")
    return PublisherSite(
        MAIN_SITE,
        (*articles, *homonym_articles()),
        dict(templates),
        faults if faults is not None else crawl_test_faults(),
    )


def wire_site(main: PublisherSite, templates: Mapping[str, str], template: str) -> PublisherSite:
    """The syndication partner: an agency copy of seed 003, retitled, last paragraph dropped,
    published two hours after the original."""
    original = main.article(SEED_PLACEMENTS[0].slug)
    if original is None:
        raise ValueError("the main site has no seed 003 article to syndicate")
    copy = SiteArticle(
        slug="microsoft-investit-dans-mistral-ai-qui-devoile-mistral-large",
        title="Microsoft investit dans Mistral AI, qui dévoile son modèle Mistral Large",
        text="\n\n".join(original.paragraphs[:-1]),
        published=original.published + timedelta(hours=2),
        authors=("Rédaction",),
        section="depeches",
        language="fr",
        template=template,
        copy_of=(main.host_label, original.slug),
    )
    return PublisherSite(WIRE_SITE, (copy,), dict(templates))


def _sentences(folder: Path | Traversable) -> list[str]:
    found: list[str] = []
    for placement in SEED_PLACEMENTS:
        for paragraph in seed_article(placement, folder).paragraphs:
            found += [s.strip() for s in _SENTENCE.split(paragraph) if len(s.split()) >= 6]
    return found


def synthetic_articles(
    count: int,
    templates: Sequence[str],
    seed: int = 0,
    seeds: Path | Traversable | None = None,
    start: datetime | None = None,
) -> tuple[SiteArticle, ...]:
    """``count`` articles of shuffled seed sentences (3–5 paragraphs), deterministic per ``seed``.

    For load: every page is distinct (different sentence draws), dated a few hours apart from
    ``start`` onwards, spread over sections and ``templates`` in turn.
    """
    rng = random.Random(seed)
    pool = _sentences(seeds if seeds is not None else bundled_seeds())
    first = start or datetime.fromisoformat("2023-09-01T08:00:00+02:00")
    sections = ("tech", "economie", "entreprises", "international", "idees")
    articles = []
    for index in range(count):
        paragraphs = [
            " ".join(rng.sample(pool, rng.randint(2, 4))) for _ in range(rng.randint(3, 5))
        ]
        title_words = rng.choice(pool).rstrip(".!?»").split()[:10]
        articles.append(
            SiteArticle(
                slug=f"depeche-{index:05d}",
                title=" ".join(title_words),
                text="\n\n".join(paragraphs),
                published=first + timedelta(hours=5 * index, minutes=rng.randint(0, 59)),
                authors=(rng.choice(("Julie Verdier", "Marc Lefèvre", "Nadia Benali")),),
                section=sections[index % len(sections)],
                language="fr",
                template=templates[index % len(templates)],
            )
        )
    return tuple(articles)


def synthetic_site(count: int, templates: Mapping[str, str], seed: int = 0) -> PublisherSite:
    """A benchmark site of ``count`` synthetic articles and no faults."""
    articles = synthetic_articles(count, sorted(templates), seed=seed)
    return PublisherSite("Le Fil Synthétique", articles, dict(templates), homepage_size=50)


def demo_site(templates: Mapping[str, str]) -> PublisherSite:
    """The ``monitor demo`` site: the test site's articles in plain templates, no faults."""
    names = sorted(templates)
    folder = bundled_seeds()
    articles = [seed_article(p, folder) for p in SEED_PLACEMENTS] + list(homonym_articles())
    plain = tuple(replace(a, template=names[i % len(names)]) for i, a in enumerate(articles))
    return PublisherSite("La Gazette de la Démo", plain, dict(templates))
