"""How stories are kept and when one is breaking.

The rows join the one settings registry as the "Stories" part; a field of
:class:`StorySettings` is a row's name without ``story_``. The grouping's
defaults are :class:`StoryParams`', tuned on the labelled pages' tune half.
The runners read the grouping rows when they assign stories; the web and
the API read the breaking rows when they show a story, since "breaking"
depends on the time of asking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babelwire.enrich.embedding import OPENING_CHARS
from babelwire.enrich.stories import BreakingRule, StoryParams
from babelwire.settings import Setting, check_record, parse_duration_s, read_part, register

#: The grouping's defaults are StoryParams' own, tuned on the labelled pages.
_TUNED = StoryParams()
#: StorySettings fields that are StoryParams fields of the same name.
_PARAM_FIELDS = ("threshold", "text_weight", "embed_weight", "embed_floor", "meaning_weight",
                 "meaning_threshold", "keys_threshold")

STORY_SETTINGS: tuple[Setting, ...] = (
    Setting("story_window_days", 3.0, float,
            "Items published further apart than this are never one story.",
            unit="days", min=0.5, max=30),
    Setting("story_embeddings", True, bool,
            "Compare the items' originals with the multilingual sentence-embedding model "
            "(about 80 MB more resident memory in a process that groups items)."),
    Setting("story_opening_chars", OPENING_CHARS, int,
            "Characters of an item's original text embedded after its headline.",
            unit="characters", min=0, max=2000),
    Setting("story_threshold", _TUNED.threshold, float,
            "Score from which two items with English text on both sides are one story.",
            min=0.05, max=1.0),
    Setting("story_text_weight", _TUNED.text_weight, float,
            "Weight of text similarity against shared places and entities in that score.",
            min=0.0, max=1.0),
    Setting("story_embed_weight", _TUNED.embed_weight, float,
            "Share of the multilingual embeddings of the originals in the text similarity "
            "(the rest: TF-IDF over the English).", min=0.0, max=1.0),
    Setting("story_embed_floor", _TUNED.embed_floor, float,
            "Cosine of two originals' embeddings that counts as nothing in common.",
            min=0.0, max=0.9),
    Setting("story_meaning_weight", _TUNED.meaning_weight, float,
            "Weight of the embeddings against shared places and entities when either item "
            "has no English text.", min=0.0, max=1.0),
    Setting("story_meaning_threshold", _TUNED.meaning_threshold, float,
            "Score from which two such items are one story.", min=0.05, max=1.0),
    Setting("story_keys_threshold", _TUNED.keys_threshold, float,
            "Score from which two items with no text to compare (shared places and "
            "entities alone) are one story.", min=0.05, max=1.0),
    Setting("story_breaking_window_s", 6 * 3600, int,
            "A story is breaking when enough items joined it within this last stretch "
            "of time (90s, 15m, 2h).", unit="s", min=600, max=7 * 86400,
            parse=parse_duration_s),
    Setting("story_breaking_min_members", 3, int,
            "Items that must have joined a story within the window for it to be breaking.",
            unit="items", min=2, max=1000),
    Setting("story_breaking_min_sources", 2, int,
            "Distinct sources among those items.", unit="sources", min=1, max=100),
    Setting("story_breaking_min_languages", 2, int,
            "Distinct original languages among those items.", unit="languages",
            min=1, max=50),
)

STORIES = register("Stories", "story_", STORY_SETTINGS)


@dataclass(frozen=True, slots=True)
class StorySettings:
    """Field = setting name minus ``story_``."""

    window_days: float = 3.0
    embeddings: bool = True
    opening_chars: int = OPENING_CHARS
    threshold: float = _TUNED.threshold
    text_weight: float = _TUNED.text_weight
    embed_weight: float = _TUNED.embed_weight
    embed_floor: float = _TUNED.embed_floor
    meaning_weight: float = _TUNED.meaning_weight
    meaning_threshold: float = _TUNED.meaning_threshold
    keys_threshold: float = _TUNED.keys_threshold
    breaking_window_s: int = 6 * 3600
    breaking_min_members: int = 3
    breaking_min_sources: int = 2
    breaking_min_languages: int = 2

    def __post_init__(self) -> None:
        check_record(STORIES, self)

    @property
    def params(self) -> StoryParams:
        return StoryParams(max_days=self.window_days,
                           **{name: getattr(self, name) for name in _PARAM_FIELDS})

    @property
    def breaking(self) -> BreakingRule:
        return BreakingRule(self.breaking_window_s, self.breaking_min_members,
                            self.breaking_min_sources, self.breaking_min_languages)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> StorySettings:
        """Read ``BABELWIRE_STORY_*`` variables (start-up only), then apply overrides."""
        return cls(**read_part(STORIES, environ, overrides))
