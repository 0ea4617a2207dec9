"""The sources page: how each source is doing, counted by outcome.

A row per source says what became of its documents (published, waiting for
translation, skipped, failed, still in progress), how many items it gives a
day, and the reason a reader most needs: the latest poll error while polls
fail, else the most common reason its documents stopped (robots.txt, a bot
challenge, a private address). A source whose documents all wait shows them
as documents, not as "0.0 items a day".

The table is sorted and filtered with query parameters (``sort``, ``order``,
``q``, ``health``, ``region``), so it works without a script and every view
has an address; ``/sources.json`` takes the same parameters. A summary line
counts the sources by health and the documents by outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, cast

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from babelwire.model import SourceHealth, Stage
from babelwire.publish import views
from babelwire.publish.context import Context, Ctx
from babelwire.publish.pages import render, with_params

router = APIRouter(include_in_schema=False)

#: What became of a document, by the stage it is at, in the order shown.
OUTCOMES: Mapping[str, tuple[Stage, ...]] = {
    "published": (Stage.PUBLISHED,),
    "waiting": (Stage.EXTRACTED, Stage.TRANSLATED),
    "skipped": (Stage.SKIPPED,),
    "failed": (Stage.FAILED,),
    "in_progress": (Stage.DISCOVERED, Stage.FETCHED),
}
#: A source's health, worst first: the order of the summary line.
HEALTH_WORDS = {
    "failing": "failing to poll",
    "skipping": "skipping pages, none published",
    "never": "never polled",
    "ok": "healthy",
}


class OutcomeStore(Protocol):
    """The store reads this page needs (all are ``babelwire.store.Store`` methods)."""

    def all_health(self) -> list[SourceHealth]: ...
    def item_stats(self) -> dict[str, Any]: ...
    def skip_reasons(self, stage: Stage = Stage.SKIPPED) -> dict[str, dict[str, int]]: ...


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row of the page; ``as_json`` is the row of the JSON twin."""

    health: dict[str, Any]
    counts: dict[str, int]
    reason: str | None
    reason_kind: str | None
    status: str
    documents: int = field(default=0)

    def as_json(self) -> dict[str, Any]:
        return {**self.health, "health": self.status, "documents": self.documents,
                "outcomes": self.counts, "reason": self.reason, "reason_kind": self.reason_kind}


def _stopped_reason(reasons: Mapping[str, int]) -> str | None:
    # The most common reason: one page that failed once says less than the
    # robots.txt rule that stopped forty.
    named = [(count, why) for why, count in reasons.items() if why]
    return max(named)[1] if named else None


def _row(state: SourceHealth, source: Any, rate: float,
         counts: dict[str, int], stopped: dict[str, dict[str, int]]) -> SourceRow:
    documents = sum(counts.values())
    reason, kind = None, None
    if state.consecutive_failures and state.last_error:
        reason, kind = state.last_error, "poll"
    else:
        for outcome in ("skipped", "failed", "waiting"):
            if why := _stopped_reason(stopped.get(outcome, {})):
                reason, kind = why, outcome
                break
    if state.consecutive_failures:
        status = "failing"
    elif state.last_success_at is None and not documents:
        status = "never"
    elif counts["skipped"] + counts["failed"] and not counts["published"]:
        status = "skipping"
    else:
        status = "ok"
    # The reason as stored, stage included: operators read this page too, and
    # "fetch: …" says where in the flow the document stopped.
    return SourceRow(views.health_json(state, source, rate), counts, reason, kind, status,
                     documents)


def items_per_day(stats: dict[str, Any]) -> dict[str, float]:
    """Mean items per day over the window ``item_stats`` reports, per source."""
    per_day = stats.get("per_day_by_source") or {}
    days = max(1, int(stats.get("per_day_window_days") or 30))
    return {source_id: round(sum(counts.values()) / days, 2)
            for source_id, counts in per_day.items()}


def source_rows(ctx: Context) -> list[SourceRow]:
    """Every source of the catalog or the store, with its outcome counts."""
    store = cast(OutcomeStore, ctx.store)  # the Store has these reads; see OutcomeStore
    stats = store.item_stats()
    rates = items_per_day(stats)
    published: dict[str, int] = stats.get("by_source") or {}
    health = {h.source_id: h for h in store.all_health()}
    by_outcome: dict[str, dict[str, dict[str, int]]] = {}
    for outcome, stages in OUTCOMES.items():
        merged: dict[str, dict[str, int]] = {}
        for stage in stages:
            for source_id, reasons in store.skip_reasons(stage).items():
                into = merged.setdefault(source_id, {})
                for why, count in reasons.items():
                    into[why] = into.get(why, 0) + count
        by_outcome[outcome] = merged
    rows = []
    for source_id in sorted(set(health) | set(ctx.sources) | set().union(*by_outcome.values())):
        state = health.get(source_id) or SourceHealth(source_id=source_id)
        counts = {outcome: sum(by_outcome[outcome].get(source_id, {}).values())
                  for outcome in OUTCOMES}
        # Published means an item exists: the item count is the truth even for
        # a document whose stage was not moved on (an edit, an older run).
        counts["published"] = max(counts["published"], published.get(source_id, 0))
        stopped = {outcome: by_outcome[outcome].get(source_id, {}) for outcome in OUTCOMES}
        rows.append(_row(state, ctx.sources.get(source_id), rates.get(source_id, 0.0),
                         counts, stopped))
    return rows


# -- sorting and filtering ----------------------------------------------------


def _text_key(row: SourceRow, name: str) -> str:
    return str(row.health.get(name) or row.health["id"]).casefold()


#: Sort keys by parameter value; the default order of each is in SORT_DESCENDING.
SORT_KEYS: dict[str, Callable[[SourceRow], Any]] = {
    "name": lambda row: _text_key(row, "name"),
    "region": lambda row: _text_key(row, "region"),
    "health": lambda row: list(HEALTH_WORDS).index(row.status),
    "published": lambda row: row.counts["published"],
    "waiting": lambda row: row.counts["waiting"],
    "skipped": lambda row: row.counts["skipped"],
    "failed": lambda row: row.counts["failed"],
    "documents": lambda row: row.documents,
    "per_day": lambda row: row.health["items_per_day"] or 0.0,
    "failures": lambda row: row.health["consecutive_failures"],
    "last_success": lambda row: row.health["last_success_at"] or "",
}
#: Counts and times read best largest or newest first.
SORT_DESCENDING = frozenset(SORT_KEYS) - {"name", "region", "health"}


@dataclass(frozen=True, slots=True)
class View:
    sort: str = "name"
    descending: bool = False
    text: str = ""
    health: str = ""
    region: str = ""

    def params(self, **changes: str) -> dict[str, str]:
        order = "desc" if self.descending else "asc"
        default = "desc" if self.sort in SORT_DESCENDING else "asc"
        params = {"sort": self.sort if self.sort != "name" else "",
                  "order": order if order != default else "", "q": self.text,
                  "health": self.health, "region": self.region}
        return {**params, **changes}


def read_view(request: Request) -> View:
    query = request.query_params
    sort = query.get("sort", "").strip().lower() or "name"
    if sort not in SORT_KEYS:
        raise HTTPException(400, f"publish: sort by one of {', '.join(SORT_KEYS)}, "
                                 f"not {sort[:40]!r}")
    order = query.get("order", "").strip().lower()
    if order not in ("", "asc", "desc"):
        raise HTTPException(400, f"publish: order is asc or desc, not {order[:40]!r}")
    health = query.get("health", "").strip().lower()
    if health and health not in HEALTH_WORDS:
        raise HTTPException(400, f"publish: health is one of {', '.join(HEALTH_WORDS)}, "
                                 f"not {health[:40]!r}")
    descending = order == "desc" if order else sort in SORT_DESCENDING
    return View(sort, descending, query.get("q", "").strip(), health,
                query.get("region", "").strip())


def _matches(row: SourceRow, view: View) -> bool:
    if view.health and row.status != view.health:
        return False
    if view.region and (row.health["region"] or "").casefold() != view.region.casefold():
        return False
    if view.text:
        haystack = " ".join(str(row.health.get(k) or "") for k in ("id", "name", "region"))
        return view.text.casefold() in haystack.casefold()
    return True


def select(rows: Sequence[SourceRow], view: View) -> list[SourceRow]:
    shown = [row for row in rows if _matches(row, view)]
    # Ties keep the name order, whatever the direction of the main key.
    shown.sort(key=SORT_KEYS["name"])
    return sorted(shown, key=SORT_KEYS[view.sort], reverse=view.descending)


def summary(rows: Sequence[SourceRow]) -> dict[str, Any]:
    by_health = {status: sum(row.status == status for row in rows) for status in HEALTH_WORDS}
    by_outcome = {outcome: sum(row.counts[outcome] for row in rows) for outcome in OUTCOMES}
    return {"sources": len(rows), "by_health": by_health, "documents": by_outcome}


def summary_line(total: Mapping[str, Any], shown: int) -> str:
    """"74 sources (12 shown): 5 healthy, … Documents: 22 published, 39 waiting, …"."""
    health = ", ".join(f"{count} {HEALTH_WORDS[status]}"
                       for status, count in total["by_health"].items() if count)
    docs = total["documents"]
    outcome_words = {"published": "published", "waiting": "waiting for translation",
                     "skipped": "skipped", "failed": "failed", "in_progress": "in progress"}
    documents = ", ".join(f"{docs[key]} {words}" for key, words in outcome_words.items())
    listed = f" ({shown} shown)" if shown != total["sources"] else ""
    return f"{total['sources']} sources{listed}: {health or 'none yet'}. Documents: {documents}."


@dataclass(frozen=True, slots=True)
class PageData:
    view: View
    rows: list[SourceRow]
    shown: list[SourceRow]

    @property
    def total(self) -> dict[str, Any]:
        return summary(self.rows)


def _page_data(ctx: Context, request: Request) -> PageData:
    view = read_view(request)
    rows = source_rows(ctx)
    return PageData(view, rows, select(rows, view))


@router.get("/sources")
def sources_page(request: Request, ctx: Ctx) -> Response:
    data = _page_data(ctx, request)
    view, shown = data.view, data.shown
    regions = sorted({r.health["region"] for r in data.rows if r.health["region"]},
                     key=str.casefold)

    def sort_url(key: str) -> str:
        flip = "desc" if not view.descending else "asc"
        order = flip if key == view.sort else ""
        return with_params("/sources", view.params(sort=key, order=order))

    return render("sources", {
        "site": ctx.settings, "title": "Sources", "rows": shown, "view": view,
        "summary_line": summary_line(data.total, len(shown)), "regions": regions,
        "health_words": HEALTH_WORDS, "sort_url": sort_url,
        "json_url": with_params("/sources.json", view.params()), "feeds": [],
    })


@router.get("/sources.json")
def sources_json(request: Request, ctx: Ctx) -> Response:
    data = _page_data(ctx, request)
    total = data.total
    return JSONResponse({"sources": [row.as_json() for row in data.shown], "summary": total,
                         "summary_line": summary_line(total, len(data.shown)),
                         "view": asdict(data.view)})
