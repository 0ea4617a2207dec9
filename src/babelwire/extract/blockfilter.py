"""Drop extracted blocks that are captions, credits or widget labels.

DOM cleaning (``clean.py``) removes furniture that is marked up as such; this
second pass catches what is not: a caption in a plain ``<p>``, a credit line
after the last paragraph, "Read also:" teasers. Every rule applies only to
short blocks (``max_chars``): real paragraphs that happen to mention a photo
or a cookie are longer than the furniture the rule is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babelwire.model import Block, BlockKind


@dataclass(frozen=True, slots=True)
class BlockRule:
    why: str
    pattern: re.Pattern[str]
    max_chars: int
    #: A cheap pattern that every match of ``pattern`` also matches (a
    #: character or word the rule cannot do without): ``pattern`` is searched
    #: only where it is found. Most blocks of a page then cost one literal
    #: search instead of a long alternation tried at every character.
    hints: re.Pattern[str] | None = None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Agencies and photo banks whose names appear in credits ("Reuters/John Doe",
# "AFP PHOTO", "Фото: ТАСС").
_AGENCIES = (
    r"AFP|Reuters|AP|EPA|EFE|ANSA|dpa|Getty(?: Images)?|Anadolu|AA|TASS|ТАСС|РИА Новости|"
    r"Sputnik|Xinhua|新华社|UN|ООН|ONU|Shutterstock|iStock|picture[- ]alliance|Keystone|"
    r"Yonhap|연합뉴스|Kyodo|共同|PAP|IMAGO|Imago"
)
_PHOTO_WORDS = (
    r"фото|photo|foto|fotó|fotografía|fotografia|bild|image|picture|pic|credit|crédit|crédito|"
    r"kuva|φωτογραφία|zdjęcie|fotoğraf|사진|写真|图片|圖片|图|圖|صورة|ảnh|ภาพ|snímek|nuotr"
)

RULES: tuple[BlockRule, ...] = (
    BlockRule("a line that starts with a photo credit ('Фото: …', 'Photo: UN/…', '图片来源')",
              _rx(rf"^\W{{0,3}}(?:{_PHOTO_WORDS})\s*(?:[:：/|©=]|\(|\s[—–-]\s|\s(?:by|de|von|:))"),
              300),
    BlockRule("a caption that ends in an agency or UN photo credit",
              # "Agency/Name" only at the very end, where a credit sits: "the UN/AU
              # mission" inside a sentence is not one.
              _rx(rf"(?:{_PHOTO_WORDS})\s*(?:[:：=]\s*)?(?:{_AGENCIES})\s*/|"
                  rf"(?:^|[\s(])(?:{_AGENCIES})\s*/\s*[^\s/.]+(?:\s[^\s/.]+){{0,3}}\)?\s*$|"
                  rf"\b(?:{_AGENCIES})\s+photo\b|图片来源|圖片來源|资料图|資料照片|"
                  r"출처\s*[:=]|사진\s*[=:]|写真[:：]"),
              300, _rx(r"/|photo|图片来源|圖片來源|资料图|資料照片|출처|사진|写真")),
    BlockRule("a caption that ends in a credit ('… Ảnh: Bệnh viện', '…Foto: REUTERS, NTB')",
              # Credits name someone: a lower-case word after the colon is prose.
              re.compile(rf"(?i:{_PHOTO_WORDS})\s*[:：]\s*(?![\sa-zß-ÿа-яё])[^.!?。:：]{{1,60}}$"),
              300, re.compile("[:：]")),
    BlockRule("a caption marked as such ('图注：', 'Image caption', 'Legenda:')",
              _rx(r"^\W{0,3}(?:图注|圖註|图说|圖說|image caption|media caption|legenda|légende|"
                  r"bildunterschrift)(?:\s*[:：]|\s)"), 300),
    BlockRule("a Chinese photo credit ('新华社记者 才扬 摄', '（外交部供图）')",
              _rx(r"(?:记者|記者|摄影|攝影|通讯员)\s*\S{1,12}(?:\s+\S{1,12})?\s*摄\s*$|\s\S{1,6}\s+摄\s*$|"
                  r"[（(][^（()）]{1,30}(?:供图|供圖|摄|攝)[)）]\s*$"),
              300, re.compile("摄|攝|供图|供圖")),
    BlockRule("a copyright line", _rx(r"©|\(c\)\s*\d{4}|copyright\s+\d{4}|all rights reserved|"
                                      r"все права защищены|alle rechte vorbehalten|"
                                      r"版权所有|著作権|todos los derechos"), 300),
    BlockRule("share-widget labels only",
              _rx(r"^(?:(?:share(?: this)?|tweet|e-?mail|print|facebook|twitter|x|whatsapp|"
                  r"telegram|linkedin|vk|вконтакте|одноклассники|reddit|pinterest|copy link|"
                  r"поделиться|teilen|partager|compartir|condividi|udostępnij|paylaş|"
                  r"分享|共有|공유|مشاركة|drucken|imprimir|imprimer|печать|send|mail)"
                  r"[\s,|:·•/]*)+$"),
              160),
    BlockRule("a 'read also' teaser",
              _rx(r"^\W{0,3}(?:read also|read more|see also|also read|related(?: articles| news)?|"
                  r"читайте также|читайте еще|читайте тоже|смотрите также|по теме|"
                  r"lesen sie auch|mehr zum thema|auch interessant|lire aussi|à lire aussi|"
                  r"voir aussi|lee también|leer más|ver también|leia também|leia mais|"
                  r"veja também|leggi anche|czytaj także|czytaj też|zobacz też|ilgili haberler|"
                  r"関連記事|相关新闻|相关阅读|延伸阅读|관련 ?기사|اقرأ أيضا|اقرأ أيضاً)"
                  r"(?:\s|[:：»>]|$)"),
              300),
    BlockRule("a cookie or consent notice",
              _rx(r"cookie.*(?:accept|consent|agree|privacy|policy|datenschutz|akzept|zustimm|"
                  r"accepter|aceptar|aceitar|accettare|akceptuj|kabul|соглас|соглаш|политик|使用|同意)|"
                  r"(?:accept|consent|agree|akzept|zustimm|accepter|aceptar|соглас|соглаш).*cookie"),
              400, _rx("cookie")),
    BlockRule("a newsletter or subscription prompt",
              _rx(r"subscribe to|sign up for|newsletter|подпишитесь|abonnieren|abonnez-vous|"
                  r"suscríbete|assine|iscriviti|zapisz się|abone ol"),
              200),
    BlockRule("an advertisement label",
              _rx(r"^\W*(?:advertisement|advertising|anzeige|werbung|publicidad|publicité|"
                  r"реклама|pubblicità|reklama|광고|广告|広告|إعلان)\W*$"),
              40),
    BlockRule("page-navigation labels",
              _rx(r"^\W*(?:skip to (?:main )?content|back to top|scroll to top|top of page|"
                  r"nach oben|наверх|haut de page|volver arriba)\W*$"),
              40),
    BlockRule("a tag or keyword line",
              _rx(r"^\W{0,3}(?:tags|теги|метки|schlagworte|schlagwörter|etiquetas|mots-clés|"
                  r"etichette|tagi|etiketler|标签|タグ|키워드)\s*[:：]"),
              400),
)


def furniture_reason(block: Block) -> str | None:
    """Why a block is furniture, or None when it is article text."""
    if block.kind is BlockKind.TABLE_ROW:
        return None
    for rule in RULES:
        if len(block.text) > rule.max_chars:
            continue
        if rule.hints is not None and not rule.hints.search(block.text):
            continue
        if rule.pattern.search(block.text):
            return rule.why
    return None


def filter_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks that are not furniture.

    A block that repeats an earlier one is kept: authors repeat a sentence on
    purpose (a closing reminder, a refrain), and pull quotes, the usual
    repeats, are removed by their markup in ``clean.py``.
    """
    return [b for b in blocks if furniture_reason(b) is None]
