"""Language: lingua detection, declared language, and how the two are weighed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from babelwire.extract import extract, extract_fetched
from babelwire.extract.language import Detection, choose_language, detect, detector
from babelwire.extract.metadata import language_code
from babelwire.model import Fetched

from .pages import PAGE_URL, read_fixture

TEXTS = {
    "en": "The minister said the new bridge would open to traffic before the end of the year.",
    "de": "Der Minister sagte, die neue Brücke werde vor Ende des Jahres für den Verkehr geöffnet.",
    "ru": "Министр заявил, что новый мост откроется для движения до конца года.",
    "uk": "Міністр заявив, що новий міст відкриють для руху до кінця року, і це дуже важливо.",
    "zh": "部长表示，新大桥将在年底前通车，这对当地居民来说是一个好消息。",
    "ja": "大臣は、新しい橋が年末までに開通すると述べ、地元の住民は喜んでいる。",
    "ko": "장관은 새 다리가 연말 전에 개통될 것이라고 밝혔으며 주민들은 환영했다.",
    "ar": "قال الوزير إن الجسر الجديد سيفتح أمام حركة المرور قبل نهاية العام.",
    "my": "ဝန်ကြီးက တံတားအသစ်ကို နှစ်ကုန်မီ ဖွင့်လှစ်မည်ဟု ပြောကြားခဲ့သည်။",
}


@pytest.mark.parametrize(("code", "text"), sorted(TEXTS.items()))
def test_detects_iso_639_1_codes(code: str, text: str) -> None:
    detection = detect(text)
    assert detection is not None
    assert detection.language == code


def test_chinese_with_katakana_middle_dot_is_still_chinese() -> None:
    text = "巴西宇航员马科斯・庞特斯表示，中国与拉美的航天合作前景广阔，双方将继续推进卫星项目。"
    detection = detect(text)
    assert detection is not None and detection.language == "zh"


def test_too_little_text_is_not_guessed() -> None:
    assert detect("12 34 !!") is None


def test_detector_is_built_once() -> None:
    assert detector() is detector()


def test_confident_detection_beats_a_wrong_declaration() -> None:
    extracted = extract(read_fixture("article_ru.html"), url=PAGE_URL)
    assert extracted.declared_language == "en"  # the template says <html lang="en">
    assert extracted.language == "ru"
    assert extracted.language_confidence is not None and extracted.language_confidence > 0.9


def test_declared_language_decides_when_detection_is_unsure() -> None:
    unsure = Detection("hr", 0.4, (("hr", 0.4), ("sr", 0.35), ("bs", 0.2)))
    assert choose_language(unsure, ("sr",)) == ("sr", 0.35)
    assert choose_language(unsure, ("fr",)) == ("hr", 0.4)
    assert choose_language(None, ("de",)) == ("de", None)
    assert choose_language(None, ()) == (None, None)


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en-US", "en"), ("zh_Hant", "zh"), ("pt-BR", "pt"), ("iw", "he"), ("deu", "de"),
     ("utf", None), ("x-default", None), ("", None), (None, None)],
)
def test_language_tags(tag: str | None, code: str | None) -> None:
    assert language_code(tag) == code


def test_extract_fetched_uses_final_url_and_content_language() -> None:
    html = read_fixture("article_en.html").replace('<html lang="en">', "<html>")
    fetched = Fetched(
        url="http://127.0.0.1:8080/short",
        final_url=PAGE_URL,
        status=200,
        headers=(("content-type", "text/html; charset=utf-8"), ("content-language", "en-GB, fr")),
        body=html.encode("utf-8"),
        fetched_at=datetime(2025, 12, 12, tzinfo=UTC),
        charset="utf-8",
    )
    extracted = extract_fetched(fetched, source_languages=("en",))
    assert extracted.declared_language == "en"
    assert extracted.language == "en"
    assert extracted.canonical_url == "http://127.0.0.1:8080/news/2025/12/water-plan"
