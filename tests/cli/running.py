"""What a run of the command gave, and the rule every failing command keeps."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str

    @property
    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def assert_one_line_error(ran: Ran, expected: str) -> None:
    """A non-zero exit, one line on stderr that says ``expected``, no traceback."""
    assert ran.code != 0, ran
    assert "Traceback" not in ran.stdout + ran.stderr, ran.stderr
    assert len(ran.stderr_lines) == 1, ran.stderr
    assert expected in ran.stderr, ran.stderr
