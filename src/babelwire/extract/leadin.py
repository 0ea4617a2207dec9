"""Take the dateline, section label and byline off the start of the body.

Pages print them between the headline and the story, often as plain <p> or
<div> lines that no class name marks ("Relaciones Exteriores",
"3 de noviembre de 2025", "Por Redacción"), so the body extractor keeps them
and they become the item's first block and its lead. They are metadata, read
separately (date, section, byline), and never article text; only short lines
before the first line of real text are taken off.
"""

from __future__ import annotations

import re

from babelwire.model import Block, BlockKind

#: Lines longer than this are text, whatever they start with.
MAX_LEAD_IN_CHARS = 90

#: At most this many lines before the story are looked at.
MAX_LEAD_IN_BLOCKS = 5

# Month and weekday names, in the languages of the catalog, and the words
# that join them into a dateline ("Publié le 3 décembre 2025 à 10 h").
_DATE_WORDS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    r"noviembre|diciembre|lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"januar|februar|märz|april|juni|juli|oktober|dezember|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
    r"janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    r"январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь|"
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"يناير|فبراير|مارس|أبريل|إبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر|"
    r"كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين|"
    r"de|del|le|la|el|à|a|am|um|at|on|of|the|h|hrs|uhr|г|года|год|в|"
    r"published|updated|posted|publicado|actualizado|publié|mis à jour|veröffentlicht|"
    r"aktualisiert|pubblicato|опубликовано|обновлено|"
    r"gmt|utc|cet|cest|art|est|edt|msk"
)
_DATE_TOKEN = re.compile(rf"\b(?:{_DATE_WORDS})\b\.?", re.IGNORECASE)
_DIGITS = re.compile(r"[\d\u0660-\u0669\u06f0-\u06f9]+")
_CJK_DATE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[\s\d:：]*$")
_LEFT_OVER = re.compile(r"\w")

_BYLINE = re.compile(
    r"^(?:by|von|par|por|door|autor|autora|auteur|author|texto|text|текст|автор|"
    r"редакция|redacción|redaktion|rédaction)\b[\s:：]+\S",
    re.IGNORECASE,
)
_BYLINE_MAX_WORDS = 8


def without_lead_in(
    blocks: list[Block], *, section: str | None, byline: str | None
) -> list[Block]:
    """``blocks`` without the dateline, section and byline lines before the story."""
    labels = {_fold(v) for v in (section, byline) if v}
    start = 0
    for block in blocks[:MAX_LEAD_IN_BLOCKS]:
        if not is_lead_in(block, labels):
            break
        start += 1
    # A body that is nothing but such lines is left for the gate to judge.
    return blocks[start:] if start < len(blocks) else blocks


def is_lead_in(block: Block, labels: set[str]) -> bool:
    """Whether a block is a dateline, the page's section or byline, or a byline line."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING):
        return False
    text = block.text.strip()
    if not text or len(text) > MAX_LEAD_IN_CHARS:
        return False
    if _fold(text) in labels:
        return True
    return is_dateline(text) or _is_byline(text)


def is_dateline(text: str) -> bool:
    """A line that says only when: '3 de noviembre de 2025', '12.12.2025, 11:00'.

    A line of date words alone counts too: "Publié le" is what remains when
    the date itself sat in a <time> element that the extractor left out.
    """
    if _CJK_DATE.match(text):
        return True
    if not _DIGITS.search(text) and not _DATE_TOKEN.search(text):
        return False
    rest = _DIGITS.sub(" ", _DATE_TOKEN.sub(" ", text))
    return not _LEFT_OVER.search(rest.replace("_", " "))


def _is_byline(text: str) -> bool:
    return bool(_BYLINE.match(text)) and len(text.split()) <= _BYLINE_MAX_WORDS


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()
