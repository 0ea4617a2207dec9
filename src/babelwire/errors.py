"""One exception tree for the whole project.

::

    BabelwireError                 anything babelwire raises on purpose
    ├── ConfigError                a setting or environment value is wrong
    ├── CatalogError               a catalog file or field is wrong
    ├── ModelError                 a translation model package is invalid or unreachable
    ├── StageError                 a stage could not do its work on one item
    │   ├── FetchError             network, HTTP or body-size trouble
    │   │   ├── BlockedAddress     the host resolves to a refused address
    │   │   ├── RobotsDisallowed   robots.txt forbids the URL
    │   │   ├── TooLarge           body or decompressed body over its cap
    │   │   ├── TooManyRedirects
    │   │   ├── HTTPStatusError    a final status that is not 2xx or 304
    │   │   ├── FetchTimeout       connect, read or total deadline passed (retryable)
    │   │   └── ConnectionFailed   DNS, TCP, TLS or protocol failure (retryable)
    │   ├── ExtractError           a page could not be turned into text
    │   ├── TranslateError         an engine failed or gave unusable output
    │   │   ├── EngineUnavailable  an engine cannot run (no binary, model, server)
    │   │   └── NoEngine           no installed engine serves a language pair
    │   └── DeliveryError          a subscription's webhook or e-mail was not delivered
    ├── SubscriptionError          a subscription's name, query or delivery is wrong
    ├── StoreError                 the database refused or is unreachable
    └── Drop                       an expected stop: the item is skipped

Every message starts with the stage and names what and where, for example
``fetch: refusing private address 10.0.0.5 for http://intranet.example/``.
Third-party exceptions are translated into this tree in the one module that
calls the library, so callers never catch ``httpx`` or ``sqlalchemy`` errors.

``Drop`` is not a failure: a stage raises it when the item should stop for a
reason that is known and final (not an article, a bot challenge, disallowed by
robots.txt). The pipeline stores the document as ``skipped`` with the reason.
"""

from __future__ import annotations


class BabelwireError(Exception):
    """Base of every error babelwire raises on purpose."""


class ConfigError(BabelwireError):
    pass


class CatalogError(BabelwireError):
    """A problem in a catalog file: names the file, the field and the fault."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file = file
        self.field = field
        self.problem = problem
        super().__init__(f"catalog: {file}: {field}: {problem}")


class StageError(BabelwireError):
    """An error while processing one item; other items carry on."""

    stage = "stage"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        self.url = url
        prefix = f"{self.stage}: "
        super().__init__(message if message.startswith(prefix) else prefix + message)


class FetchError(StageError):
    stage = "fetch"
    #: Whether a later attempt may succeed (timeouts, 5xx, 429).
    retryable = False


class BlockedAddress(FetchError):
    pass


class RobotsDisallowed(FetchError):
    pass


class TooLarge(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


class HTTPStatusError(FetchError):
    def __init__(self, message: str, *, status: int, url: str | None = None) -> None:
        self.status = status
        super().__init__(message, url=url)
        self.retryable = status == 429 or status >= 500


class FetchTimeout(FetchError):
    retryable = True


class ConnectionFailed(FetchError):
    retryable = True


class ExtractError(StageError):
    stage = "extract"


class StoreError(BabelwireError):
    pass


class Drop(BabelwireError):
    """An expected, final stop for one item; ``reason`` is stored with it."""

    def __init__(self, reason: str, *, stage: str = "pipeline") -> None:
        self.reason = reason
        self.stage = stage
        super().__init__(f"{stage}: {reason}")


class TranslateError(StageError):
    stage = "translate"


class EngineUnavailable(TranslateError):
    """The engine cannot serve at all (not installed, no model, unreachable)."""


class NoEngine(TranslateError):
    """No installed engine serves a language pair.

    The message is the one line the pipeline stores with the document, and it
    says how to fix the problem.
    """

    def __init__(self, source_lang: str, target_lang: str) -> None:
        self.source_lang = source_lang
        self.target_lang = target_lang
        super().__init__(
            f"no engine for {source_lang}→{target_lang}: "
            f"run `babelwire models install {source_lang}`"
        )


class ModelError(BabelwireError):
    """A translation model package is invalid, missing or cannot be downloaded."""


class SubscriptionError(BabelwireError):
    """A subscription that cannot be saved as given (its name, query or delivery)."""


class DeliveryError(StageError):
    """A webhook or e-mail delivery failed; ``retryable`` says whether to try again."""

    stage = "subscribe"

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        self.retryable = retryable
        super().__init__(message)
