"""Line-level boilerplate: lines that are page furniture, not article text.

Share buttons, "Lire aussi" cross-links, newsletter and subscription blurbs, image credits.
The patterns are deliberately anchored on whole, short lines so that an article sentence that
happens to contain "abonnez-vous" in the middle is never cut. The seed importer reuses
:func:`is_boilerplate_line` for raw scrapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Lines longer than this are treated as prose whatever they contain.
MAX_BOILERPLATE_LINE_CHARS = 220

_WHOLE_LINE_PATTERNS: tuple[str, ...] = (
    # Cross-links to other articles.
    r"(?:lire|voir|à lire|a lire|relire) (?:aussi|également|egalement|plus|la suite)\b.*",
    r"(?:read|see) (?:also|more)\b.*",
    r"(?:related|recommended)(?: articles?| stories| content)?\s*:?.*",
    r"(?:sur le même sujet|dans la même rubrique|les plus lus?|à découvrir|a decouvrir)\b.*",
    r"(?:mehr zum thema|lesen sie (?:auch|mehr))\b.*",
    # Sharing.
    r"(?:partager|share|partagez|teilen)(?: (?:cet|this) article| on| sur)?\s*"
    r"(?:[:|/·•-]?\s*(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|messenger|copier le lien"
    r"|copy link|imprimer|print)\s*)*",
    r"(?:facebook|twitter|linkedin|whatsapp|e-?mail|imprimer|print|copier le lien|copy link)"
    r"(?:\s*[|/·•,-]?\s*(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|imprimer|print"
    r"|copier le lien|copy link))+",
    # Newsletters and subscriptions.
    r"(?=.*\b(?:newsletters?|infolettres?|lettre d'information)\b)"
    r"(?=.*\b(?:inscri\w*|abonn\w*|subscribe\w*|sign up|recevez|receive|get|our|notre|nos)\b)"
    r".{0,160}",
    r"(?:abonnez-vous|inscrivez-vous|subscribe|sign up|s'abonner|je m'abonne)\b.*",
    r".*\b(?:réservé aux abonnés|reserve aux abonnes|article réservé|offre d'abonnement"
    r"|already a subscriber|déjà abonné)\b.*",
    r"(?:cet article|this article) (?:vous est offert|est réservé|is for subscribers)\b.*",
    # Image credits and captions that are only a credit.
    r"(?:photo|image|illustration|crédit|credit|crédits|credits|©|\(c\))\s*(?:photo)?\s*:?"
    r"\s*[^.!?]{0,80}(?:/|©|afp|reuters|getty|ap|istock|shutterstock|abaca|maxppp|sipa)"
    r"[^.!?]{0,60}",
    r"©\s*[^.!?]{0,80}",
    r"(?:foto|photo|bild|image|crédit photo|credit)\s*:\s*[^.!?]{1,80}",
    # A caption that ends with its credit: "Le siège à Paris. Photo : Joel Saget / AFP".
    r".{0,200}[.!?»”)]\s*\(?(?:foto|photo|bild|crédit photo|credit|credits|image)\s*:\s*"
    r"[^.!?]{1,60}\)?",
    # A bare "Photographer/Agency" credit line.
    r"[\w .'’-]{0,60}/\s*(?:getty(?: images)?|afp|reuters|ap|dpa|picture alliance|shutterstock"
    r"|istock(?:photo)?|epa(?:-efe)?|imago|keystone|ntb|anp|abaca|sipa|maxppp|alamy|pa(?: wire)?)"
    r"(?:\s*(?:/|via)\s*[\w .'-]{0,40})?",
    # Placeholders for blocked embeds (consent not given).
    r"(?:externer inhalt|external content|contenu externe)(?: nicht verfügbar| not available"
    r"| indisponible)?.{0,40}",
    # Copyright notices and standards blurbs.
    r"copyright\s*(?:©|\(c\)|\d{4}).*",
    r".{0,80}\b(?:tous droits réservés|all rights reserved|alle rechte vorbehalten)\b.{0,40}",
    r"our standards: .*",
    # Embedded-post attributions: "— Luke Pollard MP (@LukePollard) August 5, 2024".
    r"[—–-]\s*.{1,80}\(@\w+\)\s*.{0,40}\d{4}",
    # Reading time, bare time stamps and media durations.
    r"(?:lesedauer|temps de lecture|reading time|lesezeit)\s*:?\s*\d+\s*min\w*",
    r"\d+\s*min(?:ute)?s?\.? (?:read|de lecture|lesezeit)",
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4}(?:,?\s*\d{1,2}[:.h]\d{2}(?:\s*uhr)?)?"
    r"(?:\s*\|\s*\d{1,2}:\d{2}\s*min\.?)?",
    r"\d{1,2}:\d{2}\s*min\.{0,2}(?:\s*verfügbar bis .{0,20})?",
    # Reader surveys and "follow us on" blurbs naming a platform.
    r"(?:wie hat ihnen dieser artikel gefallen|did you (?:like|enjoy|find) this article"
    r"|cet article vous a-t-il plu|avez-vous aimé cet article).{0,80}",
    r"(?:follow|suivez|folgen sie)\b.{0,60}\b(?:google news|twitter|facebook|instagram"
    r"|whatsapp|telegram|linkedin|threads|bluesky)\b.{0,120}",
    r"(?:article content|contenu de l'article)",
    # Comment prompts and app nags.
    r"(?:\d+\s+)?(?:commentaires?|comments?|réagir|reagir)\s*(?:\(\d+\))?",
    r"(?:publicité|advertisement|anzeige|annonce)",
    r"(?:télécharger|download) (?:l'application|notre application|the app|our app)\b.*",
    r"(?:suivez|follow) (?:-nous|us)\b.{0,80}",
)
_BOILERPLATE_LINE = re.compile(
    "^(?:" + "|".join(f"(?:{p})" for p in _WHOLE_LINE_PATTERNS) + r")[\s.!:]*$",
    re.IGNORECASE,
)


def is_boilerplate_line(line: str) -> bool:
    """True when a whole (stripped) line is page furniture rather than article text."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_BOILERPLATE_LINE_CHARS:
        return False
    return _BOILERPLATE_LINE.match(stripped) is not None


def drop_boilerplate_lines(lines: Iterable[str]) -> list[str]:
    """The lines that are not boilerplate, in order."""
    return [line for line in lines if not is_boilerplate_line(line)]
