"""Subscriptions on the web: their Atom feeds, the OPML of every feed, and
the admin routes that manage them.

- ``GET /feeds/subscriptions/{name}.atom``: the newest ``feed_size`` items
  that the subscription's query finds, written by the wire's feed writer
  (``feeds.build_feed``), so entries are the same as in every other feed.
- ``GET /feeds.opml``: every feed of the wire (per source, region, language
  and subscription), for a reader to subscribe to at once.
- ``GET|POST /api/v1/subscriptions`` and ``DELETE
  /api/v1/subscriptions/{name}``: token-guarded like every write (see
  ``admin``), and in the OpenAPI document with the shapes below (their error
  answers are listed in ``contract.ANSWERS``). A webhook's secret is
  returned once, when it is created, and never listed; a webhook on a
  private or loopback address cannot be added through the API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from lxml import etree
from pydantic import BaseModel, ConfigDict, Field

from babelwire.errors import SubscriptionError
from babelwire.publish.admin import require_admin
from babelwire.publish.caching import body_etag, etag_matches
from babelwire.publish.context import Context, Ctx
from babelwire.publish.feeds import ATOM, MEDIA_TYPES, build_feed, xml_text
from babelwire.publish.filters import Filters
from babelwire.publish.pages import for_reader
from babelwire.store.query import ItemPage, ItemQuery, QueryError
from babelwire.store.subscriptions import Subscription
from babelwire.subscribe.opml import wire_feeds, write_opml
from babelwire.subscribe.subscriptions import NAME, new_subscription

router = APIRouter(include_in_schema=False)
admin_router = APIRouter(prefix="/api/v1", tags=["write"],
                         dependencies=[Depends(require_admin)])


@runtime_checkable
class SubscriptionStore(Protocol):
    def items(self, query: ItemQuery) -> ItemPage: ...
    def subscriptions(self) -> list[Subscription]: ...
    def subscription(self, name: str) -> Subscription | None: ...
    def add_subscription(self, subscription: Subscription) -> bool: ...
    def remove_subscription(self, name: str) -> bool: ...


def _store(ctx: Context) -> SubscriptionStore:
    store = ctx.store
    if not isinstance(store, SubscriptionStore):
        raise HTTPException(404, "subscribe: this store keeps no subscriptions")
    return store


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def subscription_json(subscription: Subscription, root_url: str) -> dict[str, Any]:
    """What the API shows of a subscription: everything but its secret."""
    return {
        "name": subscription.name, "query": subscription.query,
        "delivery": subscription.delivery, "target": subscription.target,
        "feed": f"{root_url}/feeds/subscriptions/{subscription.name}.atom",
        "created_at": _iso(subscription.created_at),
        "cursor": {"at": _iso(subscription.cursor_at), "item": subscription.cursor_item or None},
        "delivered_count": subscription.delivered_count,
        "last_delivered_at": _iso(subscription.last_delivered_at),
        "last_error": subscription.last_error, "last_error_at": _iso(subscription.last_error_at),
    }


@router.api_route("/feeds/subscriptions/{name}.atom", methods=["GET", "HEAD"])
def subscription_feed(name: str, request: Request, ctx: Ctx) -> Response:
    store = _store(ctx)
    subscription = store.subscription(name) if NAME.fullmatch(name) else None
    if subscription is None:
        return PlainTextResponse(f"No subscription {name[:80]!r}", status_code=404)
    try:
        page = store.items(ItemQuery(text=subscription.query, limit=ctx.settings.feed_size))
    except QueryError as exc:
        return PlainTextResponse(for_reader(str(exc)), status_code=400)
    self_url = xml_text(ctx.settings.root_url + request.url.path)
    body = build_feed("atom", page.items, Filters(text=subscription.query), ctx.settings,
                      self_url, sources=ctx.sources, now=ctx.clock())
    body = _titled(body, f"{ctx.settings.publisher}: {name} (“{subscription.query}”)")
    etag = body_etag(body)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=60"}
    if etag_matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=f"{MEDIA_TYPES['atom']}; charset=utf-8", headers=headers)


def _titled(atom: bytes, title: str) -> bytes:
    """The feed titled by the subscription's name rather than by its query alone."""
    tree = etree.fromstring(atom)
    element = tree.find(f"{{{ATOM}}}title")
    if element is not None:
        element.text = xml_text(title)
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


@router.api_route("/feeds.opml", methods=["GET", "HEAD"])
def opml_export(ctx: Ctx) -> Response:
    names = [s.name for s in _store(ctx).subscriptions()]
    groups = wire_feeds(ctx.settings.root_url, ctx.sources.values(), names)
    body = write_opml(f"{ctx.settings.publisher}: every feed", groups, ctx.clock())
    return Response(body, media_type="text/x-opml; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=300"})


class NewSubscription(BaseModel):
    """A saved search; ``webhook`` or ``email`` pushes it, neither: Atom only."""

    model_config = ConfigDict(extra="forbid")

    # The pattern is documented, not enforced here: new_subscription() checks
    # the name and says in its own words what is wrong with it.
    name: str = Field(json_schema_extra={"pattern": f"^{NAME.pattern}$"},
                      description="Part of the feed's URL: lower-case letters, digits, dashes")
    query: str = Field(description="Search text, as in /api/v1/search")
    webhook: str | None = Field(None, description="Public http(s) URL to POST new items to")
    secret: str | None = Field(None, description="The webhook's signing key (16+ characters); "
                                                 "none: one is made and returned once")
    email: str | None = Field(None, description="Address that gets the e-mail digest")


class DeliveryCursor(BaseModel):
    """The last item considered for delivery: its wire time and id."""

    at: str | None
    item: str | None


class SubscriptionView(BaseModel):
    """A subscription as the API shows it (see :func:`subscription_json`)."""

    name: str
    query: str
    delivery: Literal["atom", "webhook", "email"]
    target: str | None = Field(description="The webhook URL or e-mail address; null: Atom")
    feed: str = Field(description="The subscription's Atom feed")
    created_at: str | None
    cursor: DeliveryCursor
    delivered_count: int
    last_delivered_at: str | None
    last_error: str | None
    last_error_at: str | None


class CreatedSubscription(SubscriptionView):
    secret: str | None = Field(None, description="A webhook's signing key, shown this once")


class SubscriptionList(BaseModel):
    subscriptions: list[SubscriptionView]


@admin_router.get("/subscriptions", response_model=SubscriptionList,
                  summary="List subscriptions (without their secrets)")
def list_subscriptions(ctx: Ctx) -> Response:
    root = ctx.settings.root_url
    return JSONResponse({"subscriptions": [subscription_json(s, root)
                                           for s in _store(ctx).subscriptions()]})


@admin_router.post("/subscriptions", status_code=201, response_model=CreatedSubscription,
                   summary="Add a subscription (a saved search, pushed or not)")
def add_subscription(body: NewSubscription, ctx: Ctx) -> Response:
    store = _store(ctx)
    try:
        subscription = new_subscription(body.name, body.query, now=ctx.clock(),
                                        webhook=body.webhook, secret=body.secret,
                                        email=body.email)
    except SubscriptionError as exc:
        return JSONResponse({"error": str(exc)}, status_code=422)
    if not store.add_subscription(subscription):
        raise HTTPException(409, f"subscribe: subscription {body.name!r} exists")
    answer = subscription_json(subscription, ctx.settings.root_url)
    if subscription.delivery == "webhook":
        answer["secret"] = subscription.secret  # shown this once
    return JSONResponse(answer, status_code=201)


@admin_router.delete("/subscriptions/{name}", status_code=204, response_class=Response,
                     summary="Remove a subscription")
def remove_subscription(name: str, ctx: Ctx) -> Response:
    if not (NAME.fullmatch(name) and _store(ctx).remove_subscription(name)):
        raise HTTPException(404, f"subscribe: no subscription {name[:80]!r}")
    return Response(status_code=204)
