"""Subscriptions: saved searches delivered as Atom, signed webhooks or e-mail.

A subscription is a name, a query in the wire's search syntax
(``store/query/syntax.py``, so every filter the search box knows works
here) and a delivery. The flow, module by module:

- ``subscriptions`` checks a new subscription (name, query, webhook URL or
  e-mail address) for the admin API and the command line;
- ``matching`` finds the items wired since a subscription's cursor that its
  query matches, through the store's one item query;
- ``webhook`` signs and POSTs ninjs batches through the fetch guard;
  ``digest`` sends plain-text and HTML e-mail over SMTP;
- ``deliver`` is the step the runners call after publication
  (``deliver_subscriptions``): lease, batch, send, then move the cursor;
- ``opml`` writes the list of the wire's feeds and reads sources from one;
- ``settings`` holds the ``subscribe_*`` rows of the settings registry.

The Atom feed of each subscription is served by ``publish/subscriptions.py``.
"""

from babelwire.subscribe.deliver import DeliveryReport, deliver_subscriptions
from babelwire.subscribe.settings import SubscribeSettings

__all__ = ["DeliveryReport", "SubscribeSettings", "deliver_subscriptions"]
