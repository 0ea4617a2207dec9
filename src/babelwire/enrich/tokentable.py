"""The sentence encoder's token table, read from a file a row at a time.

The encoder's table has one uint8 row of 512 values per SentencePiece piece
(128,010 rows, 65 MB), stored in its wheel as 17 compressed blocks, the
rows whose id is ``i`` modulo 17 in block ``i``. A headline uses a few
dozen rows, so holding the whole table in every process that groups items
costs 65 MB for a few hundred kilobytes read. Written once, uncompressed,
block after block, to a cache file, the table costs a process only the rows
it is reading; the file's pages stay in the kernel's page cache, shared by
every process on the machine and dropped under pressure.

The file is named by the package's version and written under a temporary
name, then renamed, so a process never reads half a table and two processes
writing at once both end with the same file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

#: Where the table is written when ``XDG_CACHE_HOME`` names no other place.
DEFAULT_CACHE = Path.home() / ".cache"


def cache_dir() -> Path:
    """The freedesktop.org cache directory, as pip and other tools use it."""
    return Path(os.environ.get("XDG_CACHE_HOME") or DEFAULT_CACHE) / "babelwire"


class FileTable:
    """Rows of the table by piece id, read as ``table[ids]`` like the array.

    Each distinct row is read from the file with ``pread``: a mapping of the
    file would count every page the kernel maps around a read (64 kB at a
    time, whatever ``madvise`` says) in this process's resident set, and a
    few hundred headlines touch most of the table."""

    def __init__(self, path: Path, blocks: int, rows_per_block: int, width: int) -> None:
        self.blocks, self.rows_per_block, self.width = blocks, rows_per_block, width
        with path.open("rb") as f:
            version = np.lib.format.read_magic(f)
            if version != (1, 0):
                raise ValueError(f"{path} is a version {version} .npy file")
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
            self.offset = f.tell()
        if shape != (blocks * rows_per_block, width) or dtype != np.uint8 or fortran:
            raise ValueError(f"{path} holds a {dtype} table of {shape}")
        if path.stat().st_size != self.offset + blocks * rows_per_block * width:
            raise ValueError(f"{path} is cut short")
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))

    def __getitem__(self, ids: np.ndarray) -> np.ndarray:
        # Piece id -> its row in the file, where the blocks follow each other.
        rows = (ids % self.blocks) * self.rows_per_block + ids // self.blocks
        distinct, where = np.unique(rows, return_inverse=True)
        out = np.empty((len(distinct), self.width), dtype=np.uint8)
        for i, row in enumerate(distinct.tolist()):
            out[i] = np.frombuffer(os.pread(self.fd, self.width, self.offset + row * self.width),
                                   dtype=np.uint8)
        return out[where.reshape(-1)]

    def close(self) -> None:
        os.close(self.fd)


def file_table(path: Path, block: Callable[[int], np.ndarray], blocks: int,
                 rows_per_block: int, width: int) -> FileTable:
    """The table at ``path``, written there first from ``block(i)`` (block
    ``i``'s rows, read one block at a time) when it is not there yet.
    Raises OSError when the file can be neither read nor written."""
    try:
        return FileTable(path, blocks, rows_per_block, width)
    except (OSError, ValueError):
        pass  # not written yet, or cut short: write it again
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    header = {"descr": "|u1", "fortran_order": False, "shape": (blocks * rows_per_block, width)}
    try:
        with partial.open("wb") as out:
            np.lib.format.write_array_header_1_0(out, header)
            for i in range(blocks):
                rows = np.ascontiguousarray(block(i), dtype=np.uint8)
                if rows.shape != (rows_per_block, width):
                    raise OSError(f"block {i} of the token table is {rows.shape}")
                out.write(rows.tobytes())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    try:
        return FileTable(path, blocks, rows_per_block, width)
    except ValueError as exc:
        raise OSError(str(exc)) from exc
