"""The ``worker`` and ``scheduler`` commands: the pipeline spread over machines.

Both take their broker from ``BABELWIRE_BROKER_URL`` and their store from
``BABELWIRE_DATABASE_URL`` (PostgreSQL: every worker writes to it), and
read the same catalog. ``--demo-port`` points them at the demo world served on
127.0.0.1 (``babelwire demo --serve-s``, the tests and the scale bench).
"""

from __future__ import annotations

import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated, Any

import typer

from babelwire.errors import ConfigError

QueuesOption = Annotated[str, typer.Option(
    help="Comma-separated queues to take tasks from: fetch, cpu, translate.")]
DemoPortOption = Annotated[int | None, typer.Option(
    help="Run over the bundled demo world served on this 127.0.0.1 port "
         "(tests and benches).")]
WorldOption = Annotated[Path | None, typer.Option(
    help="With --demo-port: a world folder of the demo's shape, its sources in "
         "WORLD/catalog, instead of the bundled one (the scale bench).")]


def register(app: typer.Typer) -> None:
    @app.command()
    def worker(
        ctx: typer.Context,
        queues: QueuesOption = "fetch,cpu,translate",
        concurrency: Annotated[int, typer.Option(
            help="Tasks at once in this process (threads).", min=1)] = 4,
        metrics_port: Annotated[int | None, typer.Option(
            help="Serve /metrics (Prometheus text) on this port.")] = None,
        metrics_host: Annotated[str, typer.Option(
            help="Address the metrics port listens on (0.0.0.0 for a scraper "
                 "on another machine).")] = "127.0.0.1",
        demo_port: DemoPortOption = None,
        world: WorldOption = None,
    ) -> None:
        """Take pipeline tasks from the broker's queues and run them."""
        from babelwire.run import tasks
        from babelwire.run.celeryapp import QUEUES, configure
        from babelwire.run.workersettings import WorkerSettings

        wanted = [q.strip() for q in queues.split(",") if q.strip()]
        unknown = sorted(set(wanted) - set(QUEUES))
        if unknown or not wanted:
            raise ConfigError(f"worker: unknown queue(s) {', '.join(unknown) or '(none)'} "
                              f"(known: {', '.join(QUEUES)})")
        broker = WorkerSettings.load()
        sources, resolver = _world(ctx.obj, demo_port, world, "worker")
        tasks.setup(tasks.WorkerConfig(ctx.obj, broker, tuple(sources), resolver))
        celery = configure(broker)
        if metrics_port is not None:
            _serve_metrics(metrics_host, metrics_port)
        celery.worker_main(argv=[
            "worker", "--queues", ",".join(wanted), "--pool", "threads",
            "--concurrency", str(concurrency), "--loglevel", "WARNING",
            "--hostname", f"babelwire-{os.getpid()}@{socket.gethostname()}",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ])

    @app.command()
    def scheduler(
        ctx: typer.Context,
        once: Annotated[bool, typer.Option(
            help="One pass, waiting until every task is done, then exit.")] = False,
        force: Annotated[bool, typer.Option(
            help="Poll every source, due or not.")] = False,
        interval_s: Annotated[float, typer.Option(
            help="Seconds between passes over the due sources.", min=1)] = 60.0,
        demo_port: DemoPortOption = None,
        world: WorldOption = None,
    ) -> None:
        """Enqueue polls of due sources and carry each pass through the workers."""
        import redis

        from babelwire.run.celeryapp import configure
        from babelwire.run.resources import open_store
        from babelwire.run.scheduler import Scheduler
        from babelwire.run.workersettings import WorkerSettings

        broker = WorkerSettings.load()
        sources, _ = _world(ctx.obj, demo_port, world, "scheduler")
        with open_store(ctx.obj) as store:
            run = Scheduler(configure(broker), store,
                            redis.Redis.from_url(broker.coordination_url), sources,
                            lease_s=broker.lease_s)
            if once:
                counts = run.run_once(force=force)
                typer.echo(f"scheduler: pass done: {counts.units}, "
                           f"enqueued again: {counts.reissued}")
            else:
                run.run_forever(interval_s=interval_s)


def _world(settings: Any, demo_port: int | None, world: Path | None,
           command: str) -> tuple[list[Any], Any]:
    """The sources and resolver: the catalog's, or a demo world's on loopback."""
    if demo_port is None:
        if world is not None:
            raise ConfigError(f"{command}: --world needs --demo-port")
        from babelwire.run.resources import load_sources

        return list(load_sources(settings).sources), None
    from babelwire.catalog import load_catalog
    from babelwire.demo import CATALOG_DIR, WORLD_DIR
    from babelwire.demo.resolver import DemoResolver

    world_dir = world or WORLD_DIR
    catalog = load_catalog(world_dir / "catalog" if world else CATALOG_DIR)
    return list(catalog.sources), DemoResolver.for_world(world_dir, demo_port)


def _serve_metrics(host: str, port: int) -> None:
    """/metrics on ``host:port`` in a background thread of the worker's main process."""
    from babelwire import metrics
    from babelwire.run import tasks
    from babelwire.run.celeryapp import QUEUES

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] != "/metrics":
                self.send_error(404)
                return
            ctx = tasks.context()
            broker = ctx.redis if ctx.config.workers.queue_url else None
            body = metrics.render(ctx.store, broker=broker, queues=QUEUES,
                                  tally=ctx.tally.snapshot()).encode()
            self.send_response(200)
            self.send_header("Content-Type", metrics.CONTENT_TYPE)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # scrapes every few seconds would drown the worker's log

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="metrics").start()
