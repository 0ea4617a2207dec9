"""Watchlists are queries: the entity, country and topic filters of the
search syntax select what a subscription delivers, on both backends."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from babelwire.enrich.records import Enrichment, Entity, EntityKind, Place, Topic
from babelwire.model import Item
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.subscriptions import Subscription
from babelwire.subscribe import deliver_subscriptions
from babelwire.subscribe.matching import Batch
from babelwire.subscribe.subscriptions import new_subscription


class Recorder:
    def __init__(self) -> None:
        self.sent: dict[str, list[str]] = {}

    def send(self, subscription: Subscription, batch: Batch) -> None:
        self.sent.setdefault(subscription.name, []).extend(i.headline for i in batch.items)

    def close(self) -> None:
        pass


def _enrich(store: Store, item: Item, *, places: Sequence[Place] = (),
            entities: Sequence[Entity] = (), topics: Sequence[Topic] = ()) -> None:
    store.save_enrichment(Enrichment(document_id=item.document_id, places=tuple(places),
                                     entities=tuple(entities), topics=tuple(topics),
                                     quotes=()), input_key=item.id)


def test_entity_country_and_topic_watchlists(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any],
) -> None:
    for name, query in (("mali", "country:ML"), ("wfp", 'entity:"World Food Programme"'),
                        ("health", "topic:medtop:07000000"), ("wfp-mali", "country:ML aid")):
        wired.add_subscription(new_subscription(name, query, now=at(0),
                                                webhook="https://hooks.example/in"))
    bamako = Place(key="city:2460596", kind="city", name="Bamako", country_code="ML",
                   latitude=12.65, longitude=-8.0)
    wfp = Entity(key="org:wfp", kind=EntityKind.ORGANISATION, name="World Food Programme")
    health = Topic(code="medtop:07000000", name="health", score=0.8)
    _enrich(wired, publish("a", "Aid reaches Bamako", at=at(1)), places=[bamako], entities=[wfp])
    _enrich(wired, publish("b", "Clinics open", at=at(2)), topics=[health])
    _enrich(wired, publish("c", "Talks in Paris", at=at(3)), entities=[wfp])
    publish("d", "Aid report", at=at(4))
    recorder = Recorder()
    deliver_subscriptions(wired, Settings.load({}), subscribe=make_subscribe(),
                          clock=lambda: at(10), senders={"webhook": recorder})
    assert recorder.sent == {
        "mali": ["Aid reaches Bamako"],
        "wfp": ["Aid reaches Bamako", "Talks in Paris"],
        "health": ["Clinics open"],
        "wfp-mali": ["Aid reaches Bamako"],
    }
