"""The ``babelwire`` command: one sub-command per operation.

Commands live in small modules grouped by what they operate on; each module
has a ``register(app)``. This module only assembles them, and imports a
module only when one of its commands runs: the list in :data:`COMMANDS` gives
each command's summary, so that ``babelwire --help`` does not load the
pipeline, the store or the web stack.

Before any command runs, every ``BABELWIRE_*`` variable is checked against
the settings registry. :func:`main` turns every error into one line on
standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import contextlib
import faulthandler
import importlib
import logging
import os
import sys
from collections.abc import Mapping
from typing import Any

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer.core import TyperGroup

from babelwire.errors import BabelwireError, ConfigError
from babelwire.settings import FOREIGN_PREFIXES, INGEST, Settings, check_environment

_INGEST, _DOCUMENTS, _PUBLISH = "babelwire.cli.ingest", "babelwire.cli.documents", \
    "babelwire.cli.publish"

#: command -> (module that registers it, summary shown by ``babelwire --help``).
#: tests/cli checks that every summary is the first line of its command's help.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (_INGEST, "Create (or upgrade) the database and the archive directory."),
    "run": (_INGEST, "Poll due sources and carry new documents through the pipeline."),
    "reprocess": (_INGEST, "Rebuild every document from the WARC archive, without fetching."),
    "demo": ("babelwire.cli.demo", "Run the whole pipeline over the bundled demo world, offline."),
    "settings": ("babelwire.cli.reference", "Show every setting with its current value."),
    "status": (_DOCUMENTS,
               "Counts of documents by stage, language and source, and source health."),
    "documents": (_DOCUMENTS, "List stored documents, newest first."),
    "extract": (_DOCUMENTS, "Extract title, text, language, date and section from pages."),
    "serve": (_PUBLISH, "Serve the web UI, the feeds and the JSON API."),
    "export": (_PUBLISH, "Export items: wire text (blank line between items), "
                         "ninjs (JSON Lines), RSS or Atom."),
    "edit": (_PUBLISH, "Post-edit a document's translation; "
                       "its item is re-published as a new version."),
    "sources": ("babelwire.cli.sources", "List, add, lint and check catalog sources."),
    "models": ("babelwire.cli.models", "Install and list translation models."),
    "worker": ("babelwire.cli.workers",
               "Take pipeline tasks from the broker's queues and run them."),
    "scheduler": ("babelwire.cli.workers",
                  "Enqueue polls of due sources and carry each pass through the workers."),
    "translate": ("babelwire.cli.translate",
                  "Translate text into English and print quality flags."),
    "subscriptions": ("babelwire.cli.subscriptions",
                      "Add, list, remove and deliver saved searches (Atom, webhook or e-mail)."),
    "opml": ("babelwire.cli.subscriptions",
             "Export every feed of the wire as OPML, or import sources from one."),
}

#: Settings modules of the parts; importing one adds its rows to the registry.
SETTINGS_PARTS = (
    "babelwire.compose.settings",
    "babelwire.enrich.storysettings",
    "babelwire.publish.settings",
    "babelwire.run.workersettings",
    "babelwire.subscribe.settings",
    "babelwire.translate.settings",
)


def register_parts() -> None:
    """Fill the settings registry with every part's rows (the registry imports no part)."""
    for module in SETTINGS_PARTS:
        importlib.import_module(module)


def _outside_ingest(environ: Mapping[str, str]) -> bool:
    """Whether a ``BABELWIRE_*`` variable is set that the ingest rows do not name."""
    known = {s.env for s in INGEST.rows}
    return any(
        name.startswith("BABELWIRE_") and not name.startswith(FOREIGN_PREFIXES)
        and name not in known
        for name in environ
    )


def load_settings(**overrides: object) -> Settings:
    """The settings every command starts from, with logging set up by them."""
    from babelwire import log

    settings = Settings.load(None, **{k: v for k, v in overrides.items() if v is not None})
    log.configure(settings.log_level, settings.log_format)
    return settings


class _Summary(typer.core.TyperCommand):
    """Stands for a command in the listing until the command itself is needed."""


class LazyGroup(TyperGroup):
    """The root group: lists every command, imports a command's module when it runs."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name in COMMANDS:
            return _Summary(name=cmd_name, help=COMMANDS[cmd_name][1])
        return None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, _Summary) and name is not None:
            command = self.load(name)
        return name, command, rest

    def load(self, name: str) -> Any:
        """The real command ``name``, importing the module that registers it."""
        module_name = COMMANDS[name][0]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").startswith("babelwire"):
                raise
            # An optional extra that is not installed (translate, postgres).
            raise ConfigError(
                f"{name}: needs the package {exc.name!r}, which is not installed "
                "(pip install 'babelwire[translate,postgres]')"
            ) from None
        holder = typer.Typer()
        module.register(holder)
        for sub_name, command in typer.main.get_group(holder).commands.items():
            self.commands[sub_name] = command
        return self.commands[name]

    def load_all(self) -> None:
        for name in COMMANDS:
            if name not in self.commands:
                self.load(name)


app = typer.Typer(
    name="babelwire",
    help="An open-source OSINT newswire: official sources, translated, with provenance.",
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _start(ctx: typer.Context) -> None:
    # Runs before every command (not for --help): a bad or misspelt variable
    # stops the command before it opens anything.
    # The parts' rows are needed only to judge a variable outside the ingest
    # rows; importing them all (compose pulls in its renderers) cost every
    # command's start-up, `translate` included.
    if _outside_ingest(os.environ):
        register_parts()
    check_environment()
    ctx.obj = load_settings()


def _say(message: str) -> None:
    """One line on stderr: newlines in a message would split it."""
    print("babelwire: " + " ".join(message.splitlines()).strip(), file=sys.stderr)


def _report_fatal_crashes() -> None:
    """Have a crash inside a C library (a segfault, an allocator's abort) write
    the Python stack of every thread to the process's stderr as it dies: the
    only record of where it was."""
    # AttributeError, ValueError, OSError: no file descriptor behind stderr
    with contextlib.suppress(AttributeError, ValueError, OSError):
        faulthandler.enable(file=sys.__stderr__ or sys.stderr)


def main(argv: list[str] | None = None) -> None:
    """The console entry point: exit status 0, or one line on stderr and 1 or 2."""
    _report_fatal_crashes()
    try:
        code = typer.main.get_command(app).main(
            args=argv, prog_name="babelwire", standalone_mode=False
        )
    except NoArgsIsHelpError as exc:
        exc.show()
        code = exc.exit_code
    except ClickException as exc:
        where = getattr(getattr(exc, "ctx", None), "command_path", "babelwire")
        _say(f"{where.removeprefix('babelwire').strip() or 'usage'}: {exc.format_message()} "
             f"(see {where} --help)")
        code = exc.exit_code
    except BabelwireError as exc:
        _say(str(exc))
        code = 1
    except KeyboardInterrupt:
        _say("interrupted")
        code = 130
    except typer.Abort:
        _say("aborted")
        code = 1
    except BrokenPipeError:
        # The reader went away (| head): nothing left to say, and the final
        # flush of standard output must not fail again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    except Exception as exc:  # the last line of defence: never a traceback
        if logging.getLogger("babelwire").isEnabledFor(logging.DEBUG):
            logging.getLogger("babelwire").exception("unexpected error")
        _say(f"unexpected error: {type(exc).__name__}: {exc} "
             "(set BABELWIRE_LOG_LEVEL=DEBUG to see the traceback)")
        code = 1
    sys.exit(code if isinstance(code, int) else 0)
