"""One Apertium pipeline kept running, fed NUL-separated segments.

A pipeline is a shell pipe of about ten programs; starting it costs a tenth
of a second, about what it takes to translate a thousand words, so it is
started once per mode and reused. In null-flush mode each program answers
every NUL-terminated segment at once, so a segment's output can be read as
soon as it is done, and one NUL comes back per segment.

Writing happens on a second thread: the pipe buffers only a few kilobytes
each way, and a batch written in one go while nothing reads the output
would block both sides. A pipeline that fails, stalls or desynchronises is
killed and started again on the next call; its batch fails with a
:class:`TranslateError` (the translator then tries the next engine).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence

from babelwire.errors import EngineUnavailable, TranslateError

_NUL = b"\0"
_READ_BYTES = 1 << 16
#: How long a pipeline gets to finish after its input ends, before a signal.
_EXIT_WAIT_S = 2.0


class Pipe:
    def __init__(self, command: str, mode: str, timeout_s: float) -> None:
        self.command = command
        self.mode = mode
        #: Longest wait for the next segment's output (not for a whole batch).
        self.timeout_s = timeout_s
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: tempfile._TemporaryFileWrapper[bytes] | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        # Kept open while the pipeline runs (its last line explains a failure).
        self._stderr = tempfile.NamedTemporaryFile(prefix="apertium-", suffix=".err")  # noqa: SIM115
        try:
            # "$1" is the generator's option (-g: keep unknown-word marks),
            # "$2" the tagger's (none); as the apertium wrapper passes them.
            self._process = subprocess.Popen(
                ["bash", "-c", self.command, "apertium", "-g", ""],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                start_new_session=True,  # so that close() can stop the whole pipe
            )
        except OSError as exc:
            raise EngineUnavailable(f"apertium: cannot start {self.mode}: {exc}") from None
        return self._process

    def translate(self, streams: Sequence[str]) -> list[str]:
        """One output per stream, in order."""
        if not streams:
            return []
        with self._lock:
            process = self._start()
            data = _NUL.join(s.replace("\0", " ").encode("utf-8") for s in streams) + _NUL
            writer = threading.Thread(target=self._write, args=(process, data), daemon=True)
            writer.start()
            try:
                outputs = self._read(process, len(streams))
            except TranslateError:
                self._kill()
                raise
            finally:
                writer.join(timeout=self.timeout_s)
            return outputs

    @staticmethod
    def _write(process: subprocess.Popen[bytes], data: bytes) -> None:
        assert process.stdin is not None
        try:
            process.stdin.write(data)
            process.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass  # the reader sees the pipe end and reports it

    def _read(self, process: subprocess.Popen[bytes], count: int) -> list[str]:
        assert process.stdout is not None
        fd = process.stdout.fileno()
        chunks: list[bytes] = []
        outputs: list[str] = []
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            deadline = time.monotonic() + self.timeout_s
            while len(outputs) < count:
                if not selector.select(max(0.0, deadline - time.monotonic())):
                    raise TranslateError(
                        f"apertium: {self.mode} gave no output for {self.timeout_s}s"
                    )
                data = os.read(fd, _READ_BYTES)
                if not data:
                    raise TranslateError(f"apertium: {self.mode} stopped: {self._last_error()}")
                deadline = time.monotonic() + self.timeout_s
                *done, rest = data.split(_NUL)
                for part in done:
                    chunks.append(part)
                    outputs.append(b"".join(chunks).decode("utf-8", "replace"))
                    chunks = []
                chunks.append(rest)
        if any(chunks) or len(outputs) != count:
            # More output than segments: the stream is out of step, and a
            # shifted batch would put sentences under the wrong paragraphs.
            raise TranslateError(
                f"apertium: {self.mode} returned {len(outputs)} segments for {count}"
            )
        return outputs

    def _last_error(self) -> str:
        if self._stderr is None:
            return "no message"
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else "no message"

    def close_locked(self) -> None:
        """End the pipeline: at end of input if it is healthy, by signal if not."""
        process, self._process = self._process, None
        if process is not None:
            if process.stdin is not None:
                # Unflushed input to a pipeline that is gone fails to close.
                with contextlib.suppress(OSError):
                    process.stdin.close()
            try:
                process.wait(timeout=_EXIT_WAIT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=_EXIT_WAIT_S)
            if process.stdout is not None:
                process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _kill(self) -> None:
        """Stop a pipeline that failed or stalled; its output is out of step."""
        if self._process is not None and self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
        self.close_locked()

    def close(self) -> None:
        with self._lock:
            self.close_locked()
