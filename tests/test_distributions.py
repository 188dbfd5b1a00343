"""Entry points and versions read from metadata folders agree with importlib.metadata."""

from __future__ import annotations

import importlib.metadata
import sys
import zipfile

import pytest

from replylint import distributions


def _site(tmp_path, folder: str, meta: str, entry_points: str = ""):
    site = tmp_path / "site"
    info = site / folder
    info.mkdir(parents=True)
    (info / ("PKG-INFO" if folder.endswith(".egg-info") else "METADATA")).write_text(meta)
    if entry_points:
        (info / "entry_points.txt").write_text(entry_points)
    return site


def test_installed_packages_as_importlib_metadata_sees_them():
    ours = sorted((e.name, e.value) for e in distributions.entry_points("console_scripts"))
    theirs = sorted((e.name, e.value)
                    for e in importlib.metadata.entry_points(group="console_scripts"))
    assert ours == theirs and ("replylint", "replylint.cli:main") in ours
    for name in ("wordfreq", "pluggy", "click"):
        assert distributions.version(name) == importlib.metadata.version(name)
    with pytest.raises(LookupError):
        distributions.version("no-such-package-here")


def test_first_distribution_of_a_name_wins_and_names_come_from_metadata(tmp_path,
                                                                       monkeypatch):
    site = _site(tmp_path, "demo_pkg-2.0.dist-info", "Name: Demo.Pkg\nVersion: 2.0\n",
                 "[replylint]\ndemo = demo_mod:plugin [extra]\n# a comment\n[other]\nx = y\n")
    older = _site(tmp_path / "old", "demo_pkg-1.0.dist-info", "Name: demo-pkg\nVersion: 1.0\n",
                  "[replylint]\nold = old_mod\n")
    monkeypatch.syspath_prepend(str(older))
    monkeypatch.syspath_prepend(str(site))
    [ep] = [e for e in distributions.entry_points("replylint") if e.dist == "Demo.Pkg"]
    assert (ep.name, ep.value) == ("demo", "demo_mod:plugin [extra]")
    assert distributions.version("demo.pkg") == "2.0"
    assert not [e for e in distributions.entry_points("replylint") if e.name == "old"]


def test_an_egg_info_folder_without_a_version_reads_it_from_pkg_info(tmp_path, monkeypatch):
    site = _site(tmp_path, "eggy.egg-info", "Name: eggy\nVersion: 3.1\n")
    monkeypatch.syspath_prepend(str(site))
    assert distributions.version("eggy") == "3.1"


def test_a_zipped_path_entry_is_left_to_importlib_metadata(tmp_path, monkeypatch):
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipped_demo-1.0.dist-info/METADATA", "Name: zipped-demo\nVersion: 1.0\n")
        z.writestr("zipped_demo-1.0.dist-info/entry_points.txt", "[replylint]\nzd = zd_mod\n")
    monkeypatch.syspath_prepend(str(archive))
    found = [(e.name, e.value, e.dist) for e in distributions.entry_points("replylint")]
    assert ("zd", "zd_mod", "zipped-demo") in found
    assert distributions.version("zipped-demo") == "1.0"
    assert str(archive) in sys.path
