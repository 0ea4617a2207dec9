"""Per-host politeness: spacing between request starts, and a cap on requests in flight."""

from __future__ import annotations

import threading
import time
from typing import Any

from babelwire.fetch import AddressPolicy, Fetcher, StaticResolver
from babelwire.fetch.politeness import HostGate
from babelwire.settings import Settings


class FakeClock:
    def __init__(self, now_s: float = 100.0) -> None:
        self.now_s = now_s
        self.start_s = now_s
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now_s += seconds

    def monotonic(self) -> float:
        return self.now_s


def test_starts_to_one_host_are_spaced_by_the_delay() -> None:
    clock = FakeClock()
    gate = HostGate(concurrency=2, delay_s=1.5, sleep=clock.sleep, monotonic=clock.monotonic)
    starts = []
    for _ in range(3):
        with gate.slot("site.test"):
            starts.append(clock.now_s)
    assert starts == [100.0, 101.5, 103.0]
    with gate.slot("other.test"):  # another host does not wait
        assert clock.now_s == 103.0
    clock.now_s += 10.0  # a pause longer than the delay: no wait
    with gate.slot("SITE.test"):
        pass
    assert clock.slept == [1.5, 1.5]


def test_threads_arriving_together_are_spread_out() -> None:
    clock = FakeClock()
    lock = threading.Lock()
    reserved: list[float] = []

    def sleep(seconds: float) -> None:
        with lock:
            reserved.append(seconds)  # time stands still: each thread must wait longer

    gate = HostGate(concurrency=10, delay_s=2.0, sleep=sleep, monotonic=clock.monotonic)

    def worker() -> None:
        with gate.slot("site.test"):
            pass

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(reserved) == [2.0, 4.0, 6.0]


def test_no_more_than_the_concurrency_cap_in_flight() -> None:
    gate = HostGate(concurrency=2, delay_s=0.0, sleep=time.sleep, monotonic=time.monotonic)
    inside = 0
    peak = 0
    changed = threading.Condition()
    release = threading.Event()

    def worker() -> None:
        nonlocal inside, peak
        with gate.slot("site.test"):
            with changed:
                inside += 1
                peak = max(peak, inside)
                changed.notify_all()
            release.wait(5.0)
            with changed:
                inside -= 1

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    with changed:
        assert changed.wait_for(lambda: inside == 2, timeout=5.0)
    time.sleep(0.05)  # room for a third thread to (wrongly) get in
    with changed:
        assert inside == 2
    release.set()
    for thread in threads:
        thread.join()
    assert peak == 2


def test_fetcher_waits_between_requests_to_one_host(server: Any, make_fetcher: Any) -> None:
    server.route("/a", 200, b"a")
    fetcher = make_fetcher(per_host_delay_s=30.0)
    fetcher.get("http://site.test/a", check_robots=False)
    fetcher.get("http://site.test/a", check_robots=False)
    # The injected sleep returns at once, so the second start was 30 s after the first.
    assert len(make_fetcher.sleeps) == 1
    assert 29.0 < make_fetcher.sleeps[0] <= 30.0


def test_fetcher_shared_by_threads_keeps_the_cap(server: Any, make_fetcher: Any) -> None:
    lock = threading.Lock()
    in_flight = 0
    peak = 0

    def counted(handler: Any) -> None:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.01)  # hold the request open so overlaps can happen
        with lock:
            in_flight -= 1
        server.respond(handler, 200, handler.path.encode())

    for n in range(40):
        server.routes[f"/item/{n}"] = counted
    fetcher = make_fetcher(per_host_concurrency=2)
    results: dict[int, bytes] = {}

    def worker(first: int) -> None:
        for n in range(first, 40, 8):
            results[n] = fetcher.get(f"http://site.test/item/{n}").body

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: f"/item/{n}".encode() for n in range(40)}
    assert 1 <= peak <= 2
    assert server.hits("/robots.txt") == 1


def test_waiting_for_the_host_is_not_charged_to_the_deadline(server: Any) -> None:
    clock = FakeClock(time.monotonic())

    def monotonic() -> float:  # real time plus every second "slept"
        return time.monotonic() + (clock.now_s - clock.start_s)

    settings = Settings.load(environ={}, per_host_delay_s=100.0, total_timeout_s=5.0, retries=0)
    fetcher = Fetcher(
        settings,
        resolver=StaticResolver({"site.test": [("127.0.0.1", server.port)]}),
        policy=AddressPolicy(private_allowed_hosts=frozenset({"site.test"})),
        sleep=clock.sleep,
        monotonic=monotonic,
    )
    server.route("/a", 200, b"a")
    with fetcher:
        fetcher.get("http://site.test/a", check_robots=False)
        assert fetcher.get("http://site.test/a", check_robots=False).body == b"a"
    assert len(clock.slept) == 1 and clock.slept[0] > 90.0
