"""Translation model packages on disk: install, list, remove, download.

Models use the Argos Translate package format, so the hundreds of published
Argos packages work as they are: a ``.argosmodel`` file is a zip of one
folder holding ``metadata.json`` (``package_version``, ``argos_version``,
``from_code``, ``to_code``, names, download ``links``), ``model/`` (a
CTranslate2 model: ``model.bin``, ``config.json``, vocabulary files) and
``sentencepiece.model``. Installed, each package is one folder
``<models_dir>/<from>_<to>-<version>/``.

An archive is hostile until proven otherwise: member names are checked
against zip-slip, links are refused, and sizes are capped before and while
unpacking. Unpacking happens in a hidden folder beside the target and ends
with one rename, so a crash never leaves a half-installed model that the
engine would try to load.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING

from babelwire.errors import ModelError

if TYPE_CHECKING:  # only downloads need httpx; the engine lists packages without it
    import httpx

log = logging.getLogger("babelwire.translate.models")

REQUIRED_METADATA = ("package_version", "argos_version", "from_code", "to_code")
#: Language codes end up in folder names: keep them to letters (Argos uses
#: ISO 639-1 codes plus a few of its own, such as ``zt`` and ``pb``).
_CODE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})?")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")
#: Folders that are being unpacked or removed; never read as packages.
_HIDDEN_PREFIX = "."


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps that stop a broken or hostile archive from filling the disk."""

    max_archive_bytes: int = 2 * 1024**3
    max_unpacked_bytes: int = 4 * 1024**3
    max_members: int = 10_000
    #: Real model members compress at most ~4:1 (SentencePiece tables); a
    #: ratio far above that on a big member is a zip bomb.
    max_member_ratio: float = 100.0


@dataclass(frozen=True, slots=True)
class ModelPackage:
    """An installed (or about to be installed) Argos package."""

    from_code: str
    to_code: str
    version: str
    path: Path
    argos_version: str = ""
    from_name: str = ""
    to_name: str = ""
    #: Token some multilingual models need at the start of the output.
    target_prefix: str = ""

    @property
    def pair(self) -> tuple[str, str]:
        return (self.from_code, self.to_code)

    @property
    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Order "1.9" before "1.10": numeric parts compare as numbers."""
    parts = re.split(r"[._-]", version)
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)


def parse_metadata(raw: bytes, where: str) -> dict[str, str]:
    """Read and check ``metadata.json``; the values used in paths are validated."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"models: {where}: metadata.json is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ModelError(f"models: {where}: metadata.json is not an object")
    missing = [k for k in REQUIRED_METADATA if not isinstance(data.get(k), str) or not data[k]]
    if missing:
        raise ModelError(f"models: {where}: metadata.json lacks {', '.join(missing)}")
    if data.get("type", "translate") != "translate":
        raise ModelError(f"models: {where}: package type {data['type']!r} is not a translation")
    for key, pattern in (("from_code", _CODE), ("to_code", _CODE), ("package_version", _VERSION)):
        if not pattern.fullmatch(data[key]):
            raise ModelError(f"models: {where}: metadata.json {key} {data[key]!r} is not valid")
    return {k: v for k, v in data.items() if isinstance(v, str)}


def _package(meta: dict[str, str], path: Path) -> ModelPackage:
    return ModelPackage(
        from_code=meta["from_code"],
        to_code=meta["to_code"],
        version=meta["package_version"],
        path=path,
        argos_version=meta["argos_version"],
        from_name=meta.get("from_name", ""),
        to_name=meta.get("to_name", ""),
        target_prefix=meta.get("target_prefix", ""),
    )


def _folder_name(meta: dict[str, str]) -> str:
    return f"{meta['from_code']}_{meta['to_code']}-{meta['package_version']}"


def _check_files(root: Path, where: str) -> None:
    """The files the ctranslate2 engine needs; BPE (sacremoses) packages are not served."""
    needed = ["model/model.bin", "sentencepiece.model"]
    missing = [name for name in needed if not (root / name).is_file()]
    if not any((root / "model").glob("*vocabulary*")):
        missing.append("model/*vocabulary*")
    if missing:
        raise ModelError(f"models: {where}: package lacks {', '.join(missing)}")


def read_package(path: Path) -> ModelPackage:
    """An installed package folder, checked."""
    try:
        raw = (path / "metadata.json").read_bytes()
    except OSError as exc:
        raise ModelError(f"models: {path}: cannot read metadata.json ({exc})") from None
    _check_files(path, str(path))
    return _package(parse_metadata(raw, str(path)), path)


def installed_packages(models_dir: Path) -> list[ModelPackage]:
    """Every valid package under ``models_dir``, sorted by pair then version.

    A broken folder is logged and skipped, so one bad copy does not take
    every other language down with it.
    """
    if not models_dir.is_dir():
        return []
    packages = []
    for path in sorted(models_dir.iterdir()):
        if path.name.startswith(_HIDDEN_PREFIX) or not path.is_dir():
            continue
        try:
            packages.append(read_package(path))
        except ModelError as exc:
            log.warning("%s", exc)
    return sorted(packages, key=lambda p: (p.pair, version_key(p.version)))


def find_package(models_dir: Path, from_code: str, to_code: str) -> ModelPackage | None:
    """The newest installed package for a pair."""
    matches = [p for p in installed_packages(models_dir) if p.pair == (from_code, to_code)]
    return matches[-1] if matches else None


def _member_root(names: list[str], where: str) -> str:
    """The folder inside the zip that holds metadata.json ("" when at the top)."""
    if "metadata.json" in names:
        return ""
    roots = {name.split("/", 1)[0] for name in names}
    if len(roots) == 1 and f"{next(iter(roots))}/metadata.json" in names:
        return next(iter(roots)) + "/"
    raise ModelError(f"models: {where}: no metadata.json at the top of the archive")


def _check_members(archive: zipfile.ZipFile, where: str, limits: Limits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise ModelError(f"models: {where}: {len(infos)} members, over {limits.max_members}")
    total = 0
    for info in infos:
        name = PurePosixPath(info.filename)
        if name.is_absolute() or ".." in name.parts or "\\" in info.filename or ":" in str(name):
            raise ModelError(f"models: {where}: unsafe member name {info.filename!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ModelError(f"models: {where}: member {info.filename!r} is a link")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024**2 and ratio > limits.max_member_ratio:
            raise ModelError(f"models: {where}: member {info.filename!r} expands {ratio:.0f}:1")
        total += info.file_size
    if total > limits.max_unpacked_bytes:
        raise ModelError(f"models: {where}: unpacks to {total} bytes, over the cap")


def _unpack(archive: zipfile.ZipFile, root: str, dest: Path, limits: Limits) -> None:
    """Copy members under ``root`` into ``dest``, counting real bytes (headers can lie)."""
    written = 0
    for info in archive.infolist():
        if info.is_dir() or not info.filename.startswith(root):
            continue
        target = dest / info.filename[len(root) :]
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src, target.open("wb") as out:
            while chunk := src.read(1024 * 1024):
                written += len(chunk)
                if written > limits.max_unpacked_bytes:
                    raise ModelError(f"models: {archive.filename}: unpacks past the size cap")
                out.write(chunk)


def install_file(archive_path: Path, models_dir: Path, limits: Limits = Limits()) -> ModelPackage:
    """Validate a ``.argosmodel`` file and install it; older versions of its pair go.

    Raises ``ModelError`` with what is wrong; nothing is left behind then.
    """
    where = str(archive_path)
    try:
        size = archive_path.stat().st_size
        if size > limits.max_archive_bytes:
            raise ModelError(f"models: {where}: {size} bytes, over {limits.max_archive_bytes}")
        with zipfile.ZipFile(archive_path) as archive:
            _check_members(archive, where, limits)
            root = _member_root(archive.namelist(), where)
            meta = parse_metadata(archive.read(root + "metadata.json"), where)
            models_dir.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=models_dir))
            try:
                _unpack(archive, root, staging, limits)
                _check_files(staging, where)
                package = _package(meta, models_dir / _folder_name(meta))
                _swap_in(staging, package.path)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ModelError(f"models: {where}: not a readable .argosmodel zip ({exc})") from None
    for older in installed_packages(models_dir):
        if older.pair == package.pair and older.path != package.path:
            _remove_folder(older.path)
    return package


def _swap_in(staging: Path, final: Path) -> None:
    """Move the unpacked folder into place with renames only."""
    if final.exists():
        _remove_folder(final)
    staging.rename(final)


def _remove_folder(path: Path) -> None:
    """Rename first (atomic, hidden from readers), then delete at leisure."""
    graveyard = path.with_name(f"{_HIDDEN_PREFIX}removing-{path.name}")
    shutil.rmtree(graveyard, ignore_errors=True)
    path.rename(graveyard)
    shutil.rmtree(graveyard, ignore_errors=True)


def remove_language(models_dir: Path, from_code: str, to_code: str = "en") -> list[ModelPackage]:
    """Remove every installed version for a pair; returns what was removed."""
    removed = [p for p in installed_packages(models_dir) if p.pair == (from_code, to_code)]
    for package in removed:
        _remove_folder(package.path)
    return removed


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """A package offered by the index, with where to download it."""

    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]
    from_name: str = ""
    to_name: str = ""


def _unreachable(url: str, why: str) -> ModelError:
    return ModelError(
        f"models: cannot reach the package index at {url} ({why}); download the "
        ".argosmodel elsewhere and run `babelwire models install-file PATH`"
    )


#: Called with (bytes received, bytes expected or None) while downloading.
Progress = Callable[[int, int | None], None]


def _stream_to(
    client: httpx.Client, url: str, out: IO[bytes], max_bytes: int, progress: Progress | None = None
) -> None:
    """GET ``url`` into ``out``, stopping past ``max_bytes`` whatever the headers said."""
    with client.stream("GET", url) as response:
        response.raise_for_status()
        length = response.headers.get("content-length", "")
        expected = int(length) if length.isdigit() else None
        received = 0
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > max_bytes:
                raise ModelError(f"models: {url} is larger than {max_bytes} bytes")
            out.write(chunk)
            if progress:
                progress(received, expected)


def read_index(client: httpx.Client, url: str, max_bytes: int = 20 * 1024**2) -> list[IndexEntry]:
    """The translation packages an Argos-style index (a JSON list of metadata) offers."""
    import httpx

    body = io.BytesIO()
    try:
        _stream_to(client, url, body, max_bytes)
    except httpx.HTTPStatusError as exc:
        raise _unreachable(url, f"HTTP {exc.response.status_code}") from None
    except httpx.HTTPError as exc:
        raise _unreachable(url, f"{type(exc).__name__}: {exc}") from None
    try:
        items = json.loads(body.getvalue())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelError(f"models: the package index at {url} is not JSON") from None
    if not isinstance(items, list):
        raise ModelError(f"models: the package index at {url} is not a JSON list")
    entries = []
    for item in items:
        links = item.get("links") if isinstance(item, dict) else None
        try:
            meta = parse_metadata(json.dumps(item).encode(), url)
        except ModelError:
            continue  # other package types (sentence splitters) and broken rows
        if not isinstance(links, list):
            continue
        urls = tuple(x for x in links if isinstance(x, str) and x.startswith(("https:", "http:")))
        names = (meta.get("from_name", ""), meta.get("to_name", ""))
        entries.append(IndexEntry(meta["from_code"], meta["to_code"], meta["package_version"],
                                  urls, *names))  # fmt: skip
    return entries


def install_language(
    client: httpx.Client,
    index_url: str,
    models_dir: Path,
    from_code: str,
    to_code: str = "en",
    limits: Limits = Limits(),
    progress: Progress | None = None,
) -> ModelPackage:
    """Download the newest ``from_code``→``to_code`` package named by the index and install it."""
    import httpx

    offers = [
        e for e in read_index(client, index_url) if (e.from_code, e.to_code) == (from_code, to_code)
    ]
    if not offers:
        raise ModelError(
            f"models: the package index at {index_url} has no {from_code}→{to_code} package"
        )
    best = max(offers, key=lambda e: version_key(e.version))
    models_dir.mkdir(parents=True, exist_ok=True)
    failures = []
    for link in best.links:
        handle, name = tempfile.mkstemp(prefix=".download-", suffix=".argosmodel", dir=models_dir)
        try:
            with os.fdopen(handle, "wb") as out:
                _stream_to(client, link, out, limits.max_archive_bytes, progress)
            return install_file(Path(name), models_dir, limits)
        except httpx.HTTPError as exc:
            failures.append(f"{link}: {type(exc).__name__}: {exc}")
        finally:
            Path(name).unlink(missing_ok=True)
    raise ModelError(
        f"models: cannot download {from_code}→{to_code} {best.version} "
        f"({'; '.join(failures) or 'the index gives no link'}); download the .argosmodel "
        "elsewhere and run `babelwire models install-file PATH`"
    )
