"""Cleaning of raw text scrapes: keep the article, drop the page around it, and say why.

Raw scrapes (seeds 000-002, or any page saved as text) carry navigation menus, image captions
and credits, bylines and author bios, "read also" links, newsletter and subscription blurbs,
comment-policy notices, markdown markers and HTML entities. A clean text (seeds 003, 004) passes
through unchanged. Every decision is reported line by line so that a person can check it.

The rules are about the *shape* of a page (a header zone before the first real paragraph, a
footer zone after the last one, lines that repeat), not about any one site.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MD_TRAILING_MARK = re.compile(r"\s*\\[*_]\s*$")
_TITLE_SUFFIX = re.compile(r"^(?P<title>.+?)\s+[|–—-]\s+(?P<site>[^|–—-]{2,40})$")
_SENTENCE_END = re.compile(r"[.!?…»\"”)\]:]$")
_CREDIT = re.compile(r"^(©|\(c\)|crédits?\s*(photo)?\s*:|photo\s*:|copyright)", re.I)
_BYLINE = re.compile(
    r"^(par|by|propos recueillis par|une (contribution|tribune|chronique) d[e’']\s*)\s*"
    r"(?P<name>[^\d,;:]{3,60}?)(\s+[–—-]\s+.*)?$",
    re.I,
)
_BIO_END = re.compile(r"^(voir|lire) (la|sa) bio\b", re.I)
_READ_ALSO = re.compile(
    r"^(à|a)?\s*(lire|voir) (aussi|également|egalement)\b|^read (also|more)\b|^sur le même sujet",
    re.I,
)
_FOOTER = re.compile(
    r"(suspendre les commentaires|commentaires? (sont|est) (fermés?|désactivés?)"
    r"|vous avez aimé cet article|n'hésitez pas à partager|partager cet article"
    r"|^newsletter\b|\bnewsletter (quotidienne|hebdomadaire)|^abonnez-vous|^inscrivez-vous"
    r"|^recevez (chaque|notre)|^subscribe\b|^sign up\b)",
    re.I,
)
_SITE_IN_FOOTER = re.compile(
    r"(?i:likez|suivez|retrouvez)\s+(?P<site>[A-Z][\w.&' -]{1,30}?)\s+sur\s+"
    r"(?i:facebook|twitter|x|linkedin)",
)
_LEAD_MIN_WORDS = 12


@dataclass(frozen=True, slots=True)
class LineDecision:
    """One line of the raw text: kept (as the text it became) or dropped, and why."""

    line: str
    kept: bool
    reason: str


@dataclass(frozen=True, slots=True)
class CleanedText:
    text: str
    title: str | None
    site_name: str | None
    authors: tuple[str, ...]
    decisions: tuple[LineDecision, ...]

    @property
    def dropped(self) -> list[tuple[str, str]]:
        return [(d.line, d.reason) for d in self.decisions if not d.kept]

    @property
    def kept(self) -> list[str]:
        return [d.line for d in self.decisions if d.kept]


def _unmark(line: str) -> str:
    """Undo markup a scrape left behind: HTML comments and entities, markdown emphasis."""
    line = _COMMENT.sub("", line)
    line = html.unescape(line)
    line = _MD_HEADING.sub("", line)
    line = _MD_BOLD.sub(r"\1", line)
    line = _MD_TRAILING_MARK.sub("", line)
    return unicodedata.normalize("NFC", line)


def _is_blank(line: str) -> bool:
    return not line.strip()


def _word_count(line: str) -> int:
    return len(re.findall(r"\w+", line))


def _is_prose(line: str) -> bool:
    """A paragraph of running text: long enough and ending like a sentence."""
    return _word_count(line) >= _LEAD_MIN_WORDS and bool(_SENTENCE_END.search(line.rstrip()))


def _person_name(text: str) -> str:
    name = text.strip(" .–—-")
    return name.title() if name.isupper() else name


def _looks_like_name(line: str) -> bool:
    parts = line.split()
    return 2 <= len(parts) <= 4 and all(p[:1].isupper() for p in parts) and _word_count(line) <= 4


@dataclass
class _Line:
    raw: str
    text: str
    decision: str | None = None  # None = kept
    join_with_next: bool = False


def clean_scrape(raw: str) -> CleanedText:
    """Clean a raw text scrape into the seed schema's body, recovering title, site and authors."""
    lines = [_Line(raw=r, text=_unmark(r)) for r in raw.split("\n")]
    content = [ln for ln in lines if not _is_blank(ln.text)]
    title: str | None = None
    site: str | None = None
    authors: list[str] = []

    lead_index = next((i for i, ln in enumerate(content) if _is_prose(ln.text)), 0)
    header, body = content[:lead_index], content[lead_index:]

    # Header zone: everything before the first real paragraph is page furniture or the title.
    title_line = _pick_title(header)
    menu = _menu_lines(header)
    for position, ln in enumerate(header):
        if ln is title_line:
            suffix = _TITLE_SUFFIX.match(ln.text)
            if suffix and ("<!--" in ln.raw or " | " in ln.text):
                title, site = suffix["title"].strip(), suffix["site"].strip()
            else:
                title = ln.text.strip()
            ln.decision = "title (kept as the article's title)"
        elif _CREDIT.match(ln.text.strip()):
            ln.decision = "image credit"
        elif sum(1 for o in content if o.text.strip() == ln.text.strip()) > 1:
            ln.decision = "image caption (repeated line)"
        elif ln in menu:
            ln.decision = "site navigation"
        elif title_line is not None and position < header.index(title_line):
            ln.decision = "page furniture before the headline"
        elif _SENTENCE_END.search(ln.text.rstrip()) and _word_count(ln.text) >= 5:
            ln.decision = "image caption"
        else:
            ln.decision = "kicker or section label"

    # Footer zone: from the first subscription / newsletter / comment-policy line to the end.
    footer_start = next(
        (i for i, ln in enumerate(body) if i > 0 and _FOOTER.search(ln.text.strip())), None
    )
    if footer_start is not None:
        for ln in body[footer_start:]:
            found = _SITE_IN_FOOTER.search(ln.text)
            if found and site is None:
                site = found["site"].strip()
            ln.decision = "footer (subscription, newsletter, sharing or comment policy)"
        body = body[:footer_start]

    # Bylines and author bios.
    stripped = [ln.text.strip() for ln in body]
    bio_end = next((i for i, t in enumerate(stripped) if _BIO_END.match(t)), None)
    for i, ln in enumerate(body):
        text = stripped[i]
        byline = _BYLINE.match(text)
        if byline and _word_count(text) <= 14 and not _SENTENCE_END.search(text.rstrip(" .")):
            authors.append(_person_name(byline["name"]))
            ln.decision = "byline"
        elif _looks_like_name(text) and stripped.count(text) > 1:
            if _person_name(text) not in authors:
                authors.append(_person_name(text))
            ln.decision = "byline"
        elif _READ_ALSO.match(text):
            ln.decision = "read-also link"
    if bio_end is not None:
        last_byline = max((i for i in range(bio_end) if body[i].decision == "byline"), default=None)
        if last_byline is not None:
            for ln in body[last_byline + 1 : bio_end + 1]:
                ln.decision = "author biography"

    _mend_split_paragraphs([ln for ln in body if ln.decision is None])

    paragraphs: list[str] = []
    current = ""
    decisions: list[LineDecision] = []
    for ln in lines:
        if _is_blank(ln.text):
            continue
        if ln.decision is not None:
            decisions.append(LineDecision(ln.text.strip(), False, ln.decision))
            continue
        if ln in body:
            piece = ln.text.strip()
            current = f"{current} {piece}" if current else piece
            decisions.append(LineDecision(piece, True, "article text"))
            if not ln.join_with_next:
                paragraphs.append(current)
                current = ""
    if current:
        paragraphs.append(current)
    return CleanedText(
        text="\n\n".join(paragraphs),
        title=title,
        site_name=site,
        authors=tuple(authors),
        decisions=tuple(decisions),
    )


def _pick_title(header: list[_Line]) -> _Line | None:
    """The headline among the header lines: a "Title | Site" line, else the last markdown
    heading, else the last line that reads like a headline (several words, no final period)."""
    for ln in header:
        if _TITLE_SUFFIX.match(ln.text) and ("<!--" in ln.raw or " | " in ln.text):
            return ln
    headings = [ln for ln in header if _MD_HEADING.match(ln.raw)]
    if headings:
        return max(headings, key=lambda ln: _word_count(ln.text))
    candidates = [
        ln
        for ln in header
        if _word_count(ln.text) >= 4
        and not ln.text.rstrip().endswith(".")
        and not ln.text.isupper()
        and not _CREDIT.match(ln.text.strip())
    ]
    return candidates[-1] if candidates else None


def _menu_lines(header: list[_Line]) -> list[_Line]:
    """Runs of three or more short label-like lines: a navigation menu flattened to text."""
    menu: list[_Line] = []
    run: list[_Line] = []
    for ln in [*header, None]:
        if ln is not None and _word_count(ln.text) <= 8 and not ln.text.rstrip().endswith("."):
            run.append(ln)
            continue
        if len(run) >= 3:
            menu.extend(run)
        run = []
    return menu


def _mend_split_paragraphs(kept: list[_Line]) -> None:
    """Rejoin a paragraph the page layout cut in two, dropping an image caption set between.

    A paragraph that stops mid-sentence (no final punctuation) and a later one that starts in
    lower case are one paragraph; a single line between them is a caption the layout inserted.
    """
    for i, ln in enumerate(kept[:-1]):
        text = ln.text.rstrip()
        if not text or _SENTENCE_END.search(text) or _word_count(text) < _LEAD_MIN_WORDS:
            continue
        nxt = kept[i + 1].text.lstrip()
        if nxt[:1].islower():
            ln.join_with_next = True
        elif i + 2 < len(kept) and kept[i + 2].text.lstrip()[:1].islower():
            kept[i + 1].decision = "image caption (inside a paragraph cut by the layout)"
            ln.join_with_next = True
