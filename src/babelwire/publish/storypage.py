"""Stories on the web: the story page, its JSON twin and the wire's story badges.

``/stories/{id}`` lists a story's items by original language and source,
says when it was first seen and draws its growth (items joined per hour or
per day) as server-rendered SVG with the same numbers in a table beside it.
``/stories/{id}.json`` and ``/api/v1/stories/{id}`` return the same data;
``/api/v1/stories`` lists the stories most recently joined.

"Breaking" is decided when asked, from the members seen within the window
of ``story_breaking_window_s`` before the app's clock (``enrich.stories.
is_breaking``), so a story stops being breaking without any write.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse, Response

from babelwire.compose.labels import language_name
from babelwire.enrich.stories import Arrival, is_breaking
from babelwire.model import Item
from babelwire.publish import views
from babelwire.publish.context import Context, Ctx
from babelwire.publish.pages import render
from babelwire.store.stories import StoryMember, StorySummary

router = APIRouter(include_in_schema=False)

#: A story id is a document id (hex); anything else is no story, and is not
#: sent to the database.
_STORY_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
#: The growth chart: at most this many bars, each an hour while the story
#: spans at most HOURLY_SPAN, else a day.
MAX_BARS = 60
HOURLY_SPAN = timedelta(hours=72)
CHART_WIDTH = 600
CHART_HEIGHT = 120


def valid_story_id(story_id: str) -> bool:
    return bool(_STORY_ID.fullmatch(story_id))


def no_story(story_id: str) -> str:
    """What a reader is told of an id that names no story (one that could
    not be an id is not repeated back)."""
    if valid_story_id(story_id):
        return f"No story {story_id!r} is stored here."
    return "That is not a story id (stories are named by letters, digits, - and _)."


def breaking_ids(ctx: Context, stories: Sequence[StorySummary]) -> set[str]:
    """The ids of ``stories`` that are breaking now (one query for all)."""
    rule = ctx.story_settings.breaking
    now = ctx.clock()
    # Only a story joined within the window can be breaking: ask for no other.
    since = now - timedelta(seconds=rule.window_s)
    recent = [s.id for s in stories if s.last_seen_at > since]
    grown = ctx.store.stories.arrivals(recent, since)
    return {story_id for story_id, rows in grown.items()
            if is_breaking([Arrival(*row) for row in rows], now, rule)}


@dataclass(frozen=True, slots=True)
class Bucket:
    start: datetime
    added: int
    total: int


def growth(members: Sequence[StoryMember], first_seen: datetime) -> tuple[list[Bucket], str]:
    """Items joined per bucket from the first seen, and the bucket's name."""
    if not members:
        return [], "hour"
    span = max(m.seen_at for m in members) - first_seen
    step, unit = (timedelta(hours=1), "hour") if span <= HOURLY_SPAN else (
        timedelta(days=1), "day")
    count = min(int(span / step) + 1, MAX_BARS)
    added = [0] * count
    for member in members:
        # A story older than MAX_BARS buckets piles its latest into the last bar.
        added[min(int((member.seen_at - first_seen) / step), count - 1)] += 1
    buckets, total = [], 0
    for n, joined in enumerate(added):
        total += joined
        buckets.append(Bucket(first_seen + n * step, joined, total))
    return buckets, unit


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


def chart_bars(buckets: Sequence[Bucket]) -> list[Bar]:
    """SVG rectangles, one per bucket, heights by items joined."""
    if not buckets:
        return []
    tallest = max(b.added for b in buckets) or 1
    width = CHART_WIDTH / len(buckets)
    bars = []
    for n, bucket in enumerate(buckets):
        height = (CHART_HEIGHT - 10) * bucket.added / tallest
        label = f"{bucket.start:%Y-%m-%d %H:%M} UTC: {bucket.added} joined, {bucket.total} in all"
        bars.append(Bar(round(n * width + 1, 2), round(CHART_HEIGHT - height, 2),
                        round(max(width - 2, 1), 2), round(height, 2), label))
    return bars


def summary_json(ctx: Context, story: StorySummary, lead: Item | None,
                 breaking: bool) -> dict[str, Any]:
    root = ctx.settings.root_url
    return {
        "id": story.id,
        "uri": f"{root}/stories/{story.id}",
        "headline": lead.headline if lead else None,
        "lead_item": f"{root}/api/v1/items/{lead.id}" if lead else None,
        "first_seen": story.first_seen_at.isoformat(),
        "last_seen": story.last_seen_at.isoformat(),
        "breaking": breaking,
        "member_count": story.member_count,
        "source_count": story.source_count,
        "language_count": story.language_count,
        "languages": story.language_counts,
        "sources": story.source_counts,
    }


@dataclass(frozen=True, slots=True)
class StoryView:
    story: StorySummary
    members: list[StoryMember]
    lead: Item | None
    breaking: bool
    buckets: list[Bucket]
    unit: str

    def by_language(self) -> list[tuple[str, list[tuple[str, list[StoryMember]]]]]:
        """(language, [(source id, members)]) in order of first appearance."""
        grouped: dict[str, dict[str, list[StoryMember]]] = {}
        for member in self.members:
            grouped.setdefault(member.language, {}).setdefault(
                member.item.source_id, []).append(member)
        return [(language, list(sources.items())) for language, sources in grouped.items()]


def story_view(ctx: Context, story_id: str) -> StoryView:
    """Raises 404 for an id that names no story."""
    story = ctx.store.stories.find(story_id) if valid_story_id(story_id) else None
    if story is None:
        raise HTTPException(404, no_story(story_id))
    members = ctx.store.stories.members(story.id)
    lead = next((m.item for m in members if m.item.document_id == story.id),
                members[0].item if members else None)
    buckets, unit = growth(members, story.first_seen_at)
    return StoryView(story, members, lead, story.id in breaking_ids(ctx, [story]),
                     buckets, unit)


def story_json(ctx: Context, view: StoryView) -> dict[str, Any]:
    body = summary_json(ctx, view.story, view.lead, view.breaking)
    root = ctx.settings.root_url
    body["items"] = [
        {"id": m.item.id, "uri": f"{root}/api/v1/items/{m.item.id}",
         "headline": m.item.headline, "source": m.item.source_id, "language": m.language,
         "seen_at": m.seen_at.isoformat(), "score": m.score}
        for m in view.members]
    body["growth"] = {"unit": view.unit, "buckets": [
        {"start": b.start.isoformat(), "added": b.added, "total": b.total}
        for b in view.buckets]}
    return body


def stories_json(ctx: Context, limit: int, *, min_members: int, breaking_only: bool
                 ) -> dict[str, Any]:
    stories = ctx.store.stories.recent(limit, min_members=min_members)
    breaking = breaking_ids(ctx, stories)
    if breaking_only:
        stories = [s for s in stories if s.id in breaking]
    leads = ctx.store.stories.lead_items([s.id for s in stories])
    return {"stories": [summary_json(ctx, s, leads.get(s.id), s.id in breaking)
                        for s in stories]}


@router.get("/stories/{story_id}.json")
def story_page_json(story_id: str, ctx: Ctx) -> Response:
    return JSONResponse(story_json(ctx, story_view(ctx, story_id)))


@router.get("/stories/{story_id}")
def story_page(story_id: str, ctx: Ctx) -> Response:
    view = story_view(ctx, story_id)
    title = view.lead.headline if view.lead else f"Story {view.story.id}"
    return render("story", {
        "site": ctx.settings, "title": title, "view": view, "story": view.story,
        "groups": view.by_language(), "bars": chart_bars(view.buckets),
        "chart_width": CHART_WIDTH, "chart_height": CHART_HEIGHT,
        "language_name": language_name,
        "source_label": lambda source_id: views.source_label(source_id,
                                                             ctx.sources.get(source_id)),
        "wire_url": f"/?story={view.story.id}",
        "json_url": f"/stories/{view.story.id}.json", "feeds": [],
    })
