"""GeoNames country dumps added with `clashmap gazetteer add` survive `clashmap gazetteer build`.

The end-to-end test runs the real command line as a subprocess against an index and registry in a
temporary directory (CLASHMAP_GAZETTEER), never the project's data/gazetteer.sqlite. The starting index
is a copy of the one `make setup` built (built here only in a bare checkout), and it is rebuilt once through
the CLI: one full build per run instead of two (each ~12 s idle, ~30 s on a loaded machine).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from geo.gazetteer import DEFAULT_INDEX, Gazetteer
from geo.gazetteer_build import SCHEMA, build_index
from geo.geonames_dump import (add_and_record, reapply_dumps, recorded_dumps, registry_path,
                               unrecorded_dump_sources)

ROOT = Path(__file__).resolve().parents[2]


def dump_line(gid: int, name: str, alternates: str, lat: str, lon: str, country: str) -> str:
    """One record of the 19-column GeoNames export format (a village, population 0)."""
    return "\t".join([str(gid), name, name, alternates, lat, lon, "P", "PPL", country, "", "11", "", "", "", "0",
                      "", "0", "Asia/Baku", "2020-11-09"])


VILLAGE = dump_line(9990101, "Zarbalikand", "Zerbalikend", "40.1021", "47.3310", "AZ")
OTHER_VILLAGE = dump_line(9990102, "Tsovagyughqar", "", "40.6101", "45.0202", "AM")
THIRD_VILLAGE = dump_line(9990103, "Mirzakhanli", "", "39.9051", "47.0502", "AZ")


def clashmap(index: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLASHMAP_GAZETTEER": str(index)}
    return subprocess.run([sys.executable, "-m", "clashmap", "gazetteer", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def empty_index(path: Path) -> Path:
    """An index with the real schema and no places: enough for the registry logic, built in milliseconds."""
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.close()
    return path


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """Start from a real index, add three dumps through the CLI, lose one and break another, rebuild through
    the CLI."""
    tmp = tmp_path_factory.mktemp("gazetteer")
    index = tmp / "gaz.sqlite"
    if DEFAULT_INDEX.is_file():  # the index make setup built: a full index, copied rather than built again
        shutil.copyfile(DEFAULT_INDEX, index)
    else:
        build_index(index)
    assert not registry_path(index).exists() and Gazetteer(index).lookup("Zerbalikend") == []
    kept, gone, broken = tmp / "AZ.txt", tmp / "AM.txt", tmp / "XX.txt"
    kept.write_text(VILLAGE + "\n", encoding="utf-8")
    gone.write_text(OTHER_VILLAGE + "\n", encoding="utf-8")
    broken.write_text(THIRD_VILLAGE + "\n", encoding="utf-8")
    added = clashmap(index, "add", str(kept), str(gone), str(broken))
    assert added.returncode == 0, added.stderr
    assert Gazetteer(index).lookup("Zerbalikend"), "the dump was not added before the rebuild"
    gone.unlink()
    broken.write_text("9990104\tHalf a record\t40.0\n", encoding="utf-8")
    build = clashmap(index, "build")
    return {"index": index, "build": build, "kept": kept, "gone": gone, "broken": broken}


def test_a_dump_added_with_the_cli_survives_a_rebuild(rebuilt):
    assert rebuilt["build"].returncode == 0, rebuilt["build"].stderr
    found = Gazetteer(rebuilt["index"]).lookup("Zerbalikend")
    assert [(p.id, p.name, p.country_code, p.source) for p in found] == [
        (9990101, "Zarbalikand", "AZ", "dump:AZ.txt")]
    assert f"{rebuilt['kept']}: 1 places re-added" in rebuilt["build"].stdout
    # the rebuild is a real one: the built-in places are there too
    assert any(p.country_code == "AZ" for p in Gazetteer(rebuilt["index"]).lookup("Baku"))


def test_a_disappeared_dump_is_named_in_a_warning_and_dropped_from_the_registry(rebuilt):
    stderr = rebuilt["build"].stderr
    assert f"{rebuilt['gone']}: recorded GeoNames dump no longer exists" in stderr
    assert f"clashmap gazetteer add {rebuilt['gone']}" in stderr
    assert Gazetteer(rebuilt["index"]).lookup("Tsovagyughqar") == []
    assert str(rebuilt["gone"]) not in [e["path"] for e in recorded_dumps(rebuilt["index"])]


def test_a_dump_that_became_invalid_is_named_with_the_reason_and_dropped(rebuilt):
    stderr = rebuilt["build"].stderr
    assert f"{rebuilt['broken']}: line 1: expected 19 tab-separated GeoNames columns, found 3" in stderr
    assert Gazetteer(rebuilt["index"]).lookup("Mirzakhanli") == []
    assert [e["path"] for e in recorded_dumps(rebuilt["index"])] == [str(rebuilt["kept"])]


def test_the_registry_sits_beside_whatever_index_path_is_used(rebuilt):
    assert registry_path(rebuilt["index"]) == rebuilt["index"].parent / "gaz-dumps.json"
    assert registry_path(ROOT / "data" / "gazetteer.sqlite") == ROOT / "data" / "gazetteer-dumps.json"
    assert registry_path(rebuilt["index"]).exists()


def test_the_default_registry_is_git_ignored():
    check = subprocess.run(["git", "check-ignore", "-q", "data/gazetteer-dumps.json"], cwd=ROOT)
    if check.returncode == 128:
        pytest.skip("not inside a git checkout")
    assert check.returncode == 0, "data/gazetteer-dumps.json would be committed (absolute paths of one machine)"


def test_a_refused_dump_is_not_recorded(tmp_path):
    index = empty_index(tmp_path / "gaz.sqlite")
    bad = tmp_path / "bad.txt"
    bad.write_text("not a dump\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt: line 1"):
        add_and_record(index, bad)
    assert recorded_dumps(index) == []


def test_adding_the_same_file_twice_records_it_once_with_its_new_hash(tmp_path):
    index = empty_index(tmp_path / "gaz.sqlite")
    dump = tmp_path / "AZ.txt"
    dump.write_text(VILLAGE + "\n", encoding="utf-8")
    add_and_record(index, dump)
    first = recorded_dumps(index)
    dump.write_text(VILLAGE + "\n" + THIRD_VILLAGE + "\n", encoding="utf-8")
    add_and_record(index, dump)
    second = recorded_dumps(index)
    assert [e["path"] for e in second] == [str(dump.resolve())]
    assert second[0]["sha256"] != first[0]["sha256"]


def test_a_dump_changed_since_it_was_added_is_reapplied_with_its_current_contents(tmp_path):
    index = empty_index(tmp_path / "gaz.sqlite")
    dump = tmp_path / "AZ.txt"
    dump.write_text(VILLAGE + "\n", encoding="utf-8")
    add_and_record(index, dump)
    dump.write_text(VILLAGE + "\n" + THIRD_VILLAGE + "\n", encoding="utf-8")
    fresh = empty_index(tmp_path / "fresh.sqlite")
    registry_path(fresh).write_text(registry_path(index).read_text(encoding="utf-8"), encoding="utf-8")
    applied, warnings = reapply_dumps(fresh)
    assert warnings == []
    assert applied == [f"{dump.resolve()}: 2 places re-added (file changed since it was added; current contents "
                       f"applied)"]
    assert [p.name for p in Gazetteer(fresh).lookup("Mirzakhanli")] == ["Mirzakhanli"]


def test_a_corrupt_registry_is_reported_naming_the_file(tmp_path):
    index = empty_index(tmp_path / "gaz.sqlite")
    registry_path(index).write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"gaz-dumps\.json: not a gazetteer dump registry"):
        reapply_dumps(index)


def test_a_rebuild_warns_about_dumps_added_before_they_were_recorded(tmp_path):
    """An index from before the registry existed: the rebuild cannot re-apply those dumps, so it says so."""
    index = empty_index(tmp_path / "gaz.sqlite")
    db = sqlite3.connect(index)
    db.execute("INSERT INTO place VALUES (9990105, 'Old village', 'AZ', NULL, 'village', 'PPL', 40.0, 47.0, 0, "
               "'dump:AZ-old.txt')")
    db.commit()
    db.close()
    assert unrecorded_dump_sources(index) == ["AZ-old.txt"]
    registry_path(index).write_text(json.dumps({"dumps": [{"path": "/elsewhere/AZ-old.txt", "sha256": "0"}]}),
                                    encoding="utf-8")
    assert unrecorded_dump_sources(index) == []


def test_adding_a_dump_retires_cached_answers(tmp_path):
    """A village looked up (and cached as unknown) before its dump was added is found after the add."""
    from store.geocache import cached_geocoder
    from geo.gazetteer import Gazetteer
    from geo.geocoders import GazetteerGeocoder
    from store.db import open_store

    index = empty_index(tmp_path / "gaz.sqlite")
    sessions = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    assert cached_geocoder(GazetteerGeocoder(Gazetteer(index)), sessions).geocode("Zarbalikand") is None
    dump = tmp_path / "AZ.txt"
    dump.write_text(VILLAGE + "\n", encoding="utf-8")
    assert clashmap(index, "add", str(dump)).returncode == 0
    found = cached_geocoder(GazetteerGeocoder(Gazetteer(index)), sessions).geocode("Zarbalikand")
    assert found is not None and found.raw["country_code"] == "AZ"
