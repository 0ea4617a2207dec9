"""How stories are kept and when one is breaking.

The rows join the one settings registry as the "Stories" part; a field of
:class:`StorySettings` is a row's name without ``story_``. The runners read
the grouping rows when they assign stories; the web and the API read the
breaking rows when they show a story, since "breaking" depends on the time
of asking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babelwire.enrich.stories import BreakingRule, StoryParams
from babelwire.settings import Setting, check_record, parse_duration_s, read_part, register

STORY_SETTINGS: tuple[Setting, ...] = (
    Setting("story_window_days", 3.0, float,
            "Items published further apart than this are never one story.",
            unit="days", min=0.5, max=30),
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
    breaking_window_s: int = 6 * 3600
    breaking_min_members: int = 3
    breaking_min_sources: int = 2
    breaking_min_languages: int = 2

    def __post_init__(self) -> None:
        check_record(STORIES, self)

    @property
    def params(self) -> StoryParams:
        return StoryParams(max_days=self.window_days)

    @property
    def breaking(self) -> BreakingRule:
        return BreakingRule(self.breaking_window_s, self.breaking_min_members,
                            self.breaking_min_sources, self.breaking_min_languages)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> StorySettings:
        """Read ``BABELWIRE_STORY_*`` variables (start-up only), then apply overrides."""
        return cls(**read_part(STORIES, environ, overrides))
