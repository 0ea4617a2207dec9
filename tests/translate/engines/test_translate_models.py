"""Installing Argos packages: validation, hostile archives, atomic swaps."""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from babelwire.errors import ModelError
from babelwire.translate.models import (
    Limits,
    find_package,
    install_file,
    installed_packages,
    remove_language,
    version_key,
)

TOP = "translate-es_en-1_0/"
Member = tuple[zipfile.ZipInfo, bytes]


def rezip(src: Path, dest: Path, edit: Callable[[list[Member]], list[Member]]) -> Path:
    """Copy a package zip, letting ``edit`` drop, rename or add members."""
    with zipfile.ZipFile(src) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in edit(members):
            out.writestr(info, data)
    return dest


def without(name: str) -> Callable[[list[Member]], list[Member]]:
    return lambda members: [(i, d) for i, d in members if i.filename != TOP + name]


def adding(name: str, data: bytes, mode: int | None = None) -> Callable[..., list[Member]]:
    def edit(members: list[Member]) -> list[Member]:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        if mode is not None:
            info.external_attr = mode << 16
        return [*members, (info, data)]

    return edit


def replacing_metadata(text: str) -> Callable[[list[Member]], list[Member]]:
    return lambda members: [
        (i, text.encode() if i.filename == TOP + "metadata.json" else d) for i, d in members
    ]


def leftovers(models_dir: Path) -> list[str]:
    return sorted(p.name for p in models_dir.iterdir()) if models_dir.exists() else []


def test_install_unpacks_one_folder_named_by_pair_and_version(
    tiny_argosmodel: Path, tmp_path: Path
) -> None:
    models_dir = tmp_path / "models"
    package = install_file(tiny_argosmodel, models_dir)
    assert package.pair == ("es", "en") and package.version == "1.0"
    assert leftovers(models_dir) == ["es_en-1.0"]
    assert (package.path / "model" / "model.bin").is_file()
    assert (package.path / "sentencepiece.model").is_file()
    assert package.size_bytes > 0
    assert installed_packages(models_dir) == [package]


def test_reinstall_and_upgrade_leave_one_version(tiny_argosmodel: Path, tmp_path: Path) -> None:
    models_dir = tmp_path / "models"
    install_file(tiny_argosmodel, models_dir)
    install_file(tiny_argosmodel, models_dir)
    assert leftovers(models_dir) == ["es_en-1.0"]
    newer = rezip(tiny_argosmodel, tmp_path / "new.argosmodel", replacing_metadata(
        '{"package_version": "1.10", "argos_version": "1.0", "from_code": "es", "to_code": "en"}'
    ))  # fmt: skip
    install_file(newer, models_dir)
    assert leftovers(models_dir) == ["es_en-1.10"]
    found = find_package(models_dir, "es", "en")
    assert found is not None and found.version == "1.10"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (adding("../evil.txt", b"x"), "unsafe member name '../evil.txt'"),
        (adding(TOP + "model/../../evil.txt", b"x"), "unsafe member name"),
        (adding("/etc/evil.txt", b"x"), "unsafe member name '/etc/evil.txt'"),
        (adding(TOP + "link", b"/etc/passwd", stat.S_IFLNK | 0o777), "is a link"),
        (without("metadata.json"), "no metadata.json"),
        (without("model/model.bin"), "lacks model/model.bin"),
        (without("sentencepiece.model"), "lacks sentencepiece.model"),
        (without("model/shared_vocabulary.json"), r"lacks model/\*vocabulary\*"),
        (replacing_metadata("{not json"), "metadata.json is not JSON"),
        (replacing_metadata('{"package_version": "1"}'), "lacks argos_version, from_code, to_code"),
        (
            replacing_metadata(
                '{"package_version": "1", "argos_version": "1", '
                '"from_code": "../x", "to_code": "en"}'
            ),
            "from_code '../x' is not valid",
        ),
        (
            replacing_metadata(
                '{"package_version": "1", "argos_version": "1", "from_code": "es", '
                '"to_code": "en", "type": "sbd"}'
            ),
            "package type 'sbd' is not a translation",
        ),
        (adding(TOP + "bomb.bin", b"\0" * 4 * 1024**2), "expands"),
    ],
)
def test_bad_archives_are_refused_and_leave_nothing(
    tiny_argosmodel: Path,
    tmp_path: Path,
    edit: Callable[[list[Member]], list[Member]],
    message: str,
) -> None:
    bad = rezip(tiny_argosmodel, tmp_path / "bad.argosmodel", edit)
    models_dir = tmp_path / "models"
    with pytest.raises(ModelError, match=message):
        install_file(bad, models_dir)
    assert leftovers(models_dir) == []
    assert not (tmp_path / "evil.txt").exists()


def test_size_caps(tiny_argosmodel: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="over 1000"):
        install_file(tiny_argosmodel, tmp_path / "a", Limits(max_archive_bytes=1000))
    with pytest.raises(ModelError, match="over the cap"):
        install_file(tiny_argosmodel, tmp_path / "b", Limits(max_unpacked_bytes=10_000))
    with pytest.raises(ModelError, match="members, over 3"):
        install_file(tiny_argosmodel, tmp_path / "c", Limits(max_members=3))


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.argosmodel"
    path.write_bytes(b"PK\x03\x04 but not really")
    with pytest.raises(ModelError, match=r"not a readable \.argosmodel zip"):
        install_file(path, tmp_path / "models")
    with pytest.raises(ModelError, match="not a readable"):
        install_file(tmp_path / "absent.argosmodel", tmp_path / "models")


def test_listing_skips_broken_and_hidden_folders(tmp_path: Path, models_dir: Path) -> None:
    (models_dir / "junk").mkdir()
    (models_dir / ".incoming-123").mkdir()
    assert [p.pair for p in installed_packages(models_dir)] == [("es", "en")]
    assert installed_packages(tmp_path / "absent") == []


def test_remove_language(models_dir: Path) -> None:
    assert remove_language(models_dir, "fr") == []
    removed = remove_language(models_dir, "es")
    assert [p.pair for p in removed] == [("es", "en")]
    assert leftovers(models_dir) == []


def test_versions_order_numerically() -> None:
    versions = ["1.10", "1.9", "1.0", "2.0", "1.9.1"]
    assert sorted(versions, key=version_key) == ["1.0", "1.9", "1.9.1", "1.10", "2.0"]
