"""Translation by any OpenAI-compatible ``/v1/chat/completions`` endpoint.

Hosted APIs and local servers (vLLM, llama.cpp, Ollama) speak the same
protocol. The model gets the rules in a system message (translate, keep the
``[0]`` placeholders and numbers verbatim, use the glossary) and the segments
as a JSON list; it must answer ``{"translations": [...]}`` with exactly as
many strings. Anything else is a ``TranslateError``: a language model that
merges, splits or drops a sentence would silently misalign a whole document,
so its answer is checked, never repaired.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import Any

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.engine import placeholder
from babelwire.translate.engines.http_api import JsonApi
from babelwire.translate.registry import register
from babelwire.translate.settings import TranslateSettings

#: Languages named in the prompt (a model follows "Russian" better than "ru").
LANGUAGE_NAMES = {
    "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian", "bg": "Bulgarian",
    "bn": "Bengali", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish",
    "gl": "Galician", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "hy": "Armenian", "id": "Indonesian", "is": "Icelandic", "it": "Italian",
    "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "mk": "Macedonian", "mn": "Mongolian", "ms": "Malay", "my": "Burmese",
    "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "th": "Thai", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip

_RULES = """You translate official publications for a news wire, from {source} into {target}.
Rules:
1. Translate every input string completely and faithfully. Do not summarise, explain,
   add, merge, split or drop anything.
2. Copy placeholders written {placeholders}... exactly as they are, each one once.
3. Copy numbers, dates, codes, identifiers and URLs exactly as written in the input.
4. Keep names of people, places and organisations; use the glossary below when it has them.
5. Answer with one JSON object and nothing else: {{"translations": [...]}}, holding
   exactly {count} strings, in the order of the input.{glossary}"""

#: Models often wrap JSON in a Markdown fence even when told not to; the fence
#: is unambiguous, so it is the one thing removed before strict parsing.
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


def parse_translations(content: str, expected: int) -> list[str]:
    """The ``translations`` list from the model's answer; raises on any deviation."""
    match = _FENCE.match(content.strip())
    text = match.group(1) if match else content.strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranslateError(f"openai: the answer is not JSON ({exc}): {text[:120]!r}") from None
    items = data.get("translations") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise TranslateError(
            f"openai: the answer has no list of strings 'translations': {text[:120]!r}"
        )
    if len(items) != expected:
        raise TranslateError(f"openai: {len(items)} translations for {expected} inputs")
    return [x.strip() for x in items]


class OpenAIEngine:
    """Sends segments in requests of bounded size; each request is checked on its own."""

    name = "openai"

    def __init__(
        self,
        api: JsonApi,
        base_url: str,
        model: str,
        api_key: str = "",
        *,
        glossary: Sequence[tuple[str, str]] = (),
        max_chars_per_request: int = 6000,
        json_mode: bool = True,
    ) -> None:
        self.api = api
        # Both "https://host/v1" (the usual spelling) and "https://host" work.
        root = base_url.rstrip("/")
        self.url = root + ("/chat/completions" if root.endswith("/v1") else "/v1/chat/completions")
        self.model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.glossary = tuple(glossary)
        # Long requests risk the model's output limit and make one bad answer
        # cost a lot of text; a few thousand characters is a few paragraphs.
        self.max_chars_per_request = max_chars_per_request
        # response_format=json_object makes most servers emit valid JSON; a
        # server that rejects the field can be used with json_mode=False.
        self.json_mode = json_mode
        self._pairs = frozenset((a, b) for a in LANGUAGE_NAMES for b in LANGUAGE_NAMES if a != b)

    def pairs(self) -> frozenset[tuple[str, str]]:
        return self._pairs

    def model_for(self, source: str, target: str) -> tuple[str, str]:
        return (self.model, "")

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        if (source, target) not in self._pairs:
            raise TranslateError(f"openai: no language name for {source}→{target}")
        results = [""] * len(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        for chunk in self._chunks(todo, texts):
            outputs = self._request([texts[i] for i in chunk], source, target)
            for index, output in zip(chunk, outputs, strict=True):
                results[index] = output
        return results

    def _chunks(self, todo: list[int], texts: Sequence[str]) -> list[list[int]]:
        chunks: list[list[int]] = [[]]
        size = 0
        for index in todo:
            if chunks[-1] and size + len(texts[index]) > self.max_chars_per_request:
                chunks.append([])
                size = 0
            chunks[-1].append(index)
            size += len(texts[index])
        return [c for c in chunks if c]

    def _request(self, texts: list[str], source: str, target: str) -> list[str]:
        payload: dict[str, Any] = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": self._prompt(texts, source, target)},
                {"role": "user", "content": json.dumps({"texts": texts}, ensure_ascii=False)},
            ],
        }
        if self.json_mode:
            payload["response_format"] = {"type": "json_object"}
        answer = self.api.post(self.url, payload, self._headers)
        try:
            choice = answer["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise TranslateError(
                f"openai: {self.url} answered without choices[0].message"
            ) from None
        if choice.get("finish_reason") == "length" or not isinstance(content, str):
            raise TranslateError(f"openai: the answer was cut short ({len(texts)} inputs)")
        return parse_translations(content, len(texts))

    def _prompt(self, texts: list[str], source: str, target: str) -> str:
        joined = "\n".join(texts)
        # Only the glossary terms that occur keep the prompt short.
        terms = [(s, t) for s, t in self.glossary if s in joined]
        glossary = "".join(f"\n{s} = {t}" for s, t in terms)
        return _RULES.format(
            placeholders=", ".join(placeholder(n) for n in range(3)),
            source=LANGUAGE_NAMES[source],
            target=LANGUAGE_NAMES[target],
            count=len(texts),
            glossary=f"\n\nGlossary:{glossary}" if glossary else "",
        )


@register("openai")
def from_settings(settings: TranslateSettings) -> OpenAIEngine:
    """Built only when a base URL and a model are set; the key comes from the named variable."""
    if not settings.openai_base_url or not settings.openai_model:
        raise EngineUnavailable("openai: no endpoint configured (translate_openai_base_url)")
    # Read once, here at start-up: the variable's *name* is the setting.
    api_key = os.environ.get(settings.openai_api_key_env, "")
    import httpx  # only once the engine is configured: start-up stays light

    client = httpx.Client(timeout=settings.openai_timeout_s)
    api = JsonApi("openai", client, requests_per_min=settings.openai_requests_per_min)
    return OpenAIEngine(api, settings.openai_base_url, settings.openai_model, api_key)
