"""Load a GeoNames country dump (e.g. AZ.txt from the GeoNames export) into the gazetteer index.

cities500 stops at 500 inhabitants, and war reports name villages below that (Garayusifli) or
places GeoNames files under other feature classes. A country dump has them all, in the standard
19-column tab-separated format; a malformed file is refused whole, naming the file and line,
before anything is written.

Added dumps survive `clashmap gazetteer build`: the build writes a fresh index file, so every dump
added successfully is recorded in a small JSON registry beside the index (`gazetteer-dumps.json`
next to `gazetteer.sqlite`, or `<stem>-dumps.json` for any other index path), and the build
re-applies the recorded dumps in the order they were added. The registry lives outside the index
because the rebuild replaces the index whole; it holds absolute paths, so it is per machine and
git-ignored. Each entry also keeps the file's SHA-256, only to say when a dump changed since it was
added (its current contents are applied). A recorded dump that has disappeared or no longer parses
is dropped from the registry with a warning naming the file and the reason: keeping it would repeat
the same warning on every build with no way to silence it but editing the JSON, while re-adding
the file after restoring it (`clashmap gazetteer add FILE`) is one command the warning spells out.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path

from geo.gazetteer_build import kind_for
from geo.names import is_latin_key, normalize_name

COLUMNS = 19
# feature classes worth a place name in news copy: populated places, admin areas, terrain, water, spots
KEPT_CLASSES = {"P", "A", "T", "H", "L", "S", "V"}


def _parse(path: Path) -> list[tuple[tuple, set[str]]]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: cannot be read as UTF-8 text ({err})") from None
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != COLUMNS:
            raise ValueError(f"{path}: line {number}: expected {COLUMNS} tab-separated GeoNames columns, "
                             f"found {len(cols)}")
        try:
            gid = int(cols[0])
            lat, lon = float(cols[4]), float(cols[5])
            population = int(cols[14] or 0)
        except ValueError:
            raise ValueError(f"{path}: line {number}: geonameid, latitude, longitude and population must be "
                             f"numbers (got {cols[0]!r}, {cols[4]!r}, {cols[5]!r}, {cols[14]!r})") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"{path}: line {number}: coordinates out of range ({lat}, {lon})")
        if not cols[1].strip() or len(cols[8]) != 2:
            raise ValueError(f"{path}: line {number}: a name and a two-letter country code are required")
        if cols[6] not in KEPT_CLASSES:
            continue
        place = (gid, cols[1], cols[8], cols[10] or None, kind_for(cols[6], cols[7], population), cols[7] or None,
                 lat, lon, population, f"dump:{path.name}")
        names = {cols[1], cols[2], *filter(None, cols[3].split(","))}
        rows.append((place, names))
    if not rows:
        raise ValueError(f"{path}: no GeoNames records found (is this a country dump such as AZ.txt?)")
    return rows


def add_dump(index_path: str | Path, file: str | Path) -> int:
    """Add (or update) every place of the dump in the index; return how many were written."""
    index_path, path = Path(index_path), Path(file)
    if not index_path.exists():
        raise ValueError(f"{index_path}: gazetteer index not built yet; run `clashmap gazetteer build` first")
    rows = _parse(path)
    db = sqlite3.connect(index_path)
    try:
        with db:
            for place, names in rows:
                old = db.execute("SELECT population FROM place WHERE id = ?", (place[0],)).fetchone()
                if old and old[0] > place[8]:
                    place = (*place[:8], old[0], place[9])
                if place[5] == "ADM1" and place[3]:
                    place = _take_over_region(db, place, names)
                db.execute("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", place)
                main = normalize_name(place[1])
                keys = {(normalize_name(n), 0) for n in names} | {(main, 1)}
                db.executemany("INSERT OR IGNORE INTO alias VALUES (?,?,?)",
                               [(k, place[0], m) for k, m in keys if is_latin_key(k) and (m or k != main)])
            # a new build identity: geo.cache keeps answers per build, so a village cached as unresolved
            # before its dump was added is looked up again
            db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (f"{time.time_ns():x}"[-10:],))
    finally:
        db.close()
    return len(rows)


def _take_over_region(db: sqlite3.Connection, place: tuple, names: set[str]) -> tuple:
    """A dump's ADM1 row replaces the build's stand-in for the same region (placed in the middle of its
    towns, or curated under the same name): GeoNames' own point wins, the stand-in's names move to it, and
    the larger population is kept. Matched by country and admin1 code (a curated region also by name)."""
    keys = {normalize_name(n) for n in names}
    olds = db.execute("SELECT id, name, population, source FROM place WHERE id < 0 AND kind = 'region' "
                      "AND country_code = ? AND admin1 = ?", (place[2], place[3])).fetchall()
    population = place[8]
    for old_id, old_name, old_population, source in olds:
        if source == "curated" and normalize_name(old_name) not in keys:
            continue  # Yorkshire is curated under England's code: not England
        db.execute("UPDATE OR IGNORE alias SET place_id = ? WHERE place_id = ?", (place[0], old_id))
        db.execute("DELETE FROM alias WHERE place_id = ?", (old_id,))
        db.execute("DELETE FROM place WHERE id = ?", (old_id,))
        population = max(population, old_population)
    return (*place[:8], population, place[9])


def registry_path(index_path: str | Path) -> Path:
    """Where the dumps added to `index_path` are recorded: beside it, outside the file a rebuild replaces."""
    index_path = Path(index_path)
    return index_path.with_name(f"{index_path.stem}-dumps.json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def recorded_dumps(index_path: str | Path) -> list[dict[str, str]]:
    """The registry's entries ({"path", "sha256"}), oldest first; none when there is no registry yet."""
    registry = registry_path(index_path)
    try:
        entries = json.loads(registry.read_text(encoding="utf-8"))["dumps"]
        return [{"path": str(e["path"]), "sha256": str(e["sha256"])} for e in entries]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{registry}: not a gazetteer dump registry ({err}); fix or delete it, "
                         f"then add the dumps again with `clashmap gazetteer add`") from None


def _write_registry(index_path: Path, entries: list[dict[str, str]]) -> None:
    registry = registry_path(index_path)
    tmp = registry.with_name(registry.name + ".tmp")
    tmp.write_text(json.dumps({"dumps": entries}, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, registry)  # atomic: an interrupted write never leaves half a registry


def record_dump(index_path: str | Path, file: str | Path) -> None:
    """Remember a successfully added dump so `gazetteer build` re-applies it (once per path, latest hash)."""
    path = Path(file).resolve()
    entries = [e for e in recorded_dumps(index_path) if e["path"] != str(path)]
    entries.append({"path": str(path), "sha256": _sha256(path)})
    _write_registry(Path(index_path), entries)


def add_and_record(index_path: str | Path, file: str | Path) -> int:
    """`clashmap gazetteer add`: load the dump into the index, then record it for later rebuilds."""
    count = add_dump(index_path, file)
    record_dump(index_path, file)
    return count


def reapply_dumps(index_path: str | Path) -> tuple[list[str], list[str]]:
    """Re-add every recorded dump to a freshly built index; return (notes on applied dumps, warnings).

    A dump that is missing or refused is left out of the registry (see the module docstring); the
    others keep their order, with their hash updated when the file changed since it was added.
    """
    index_path = Path(index_path)
    applied, warnings, kept = [], [], []
    entries = recorded_dumps(index_path)
    for entry in entries:
        path = Path(entry["path"])
        if not path.is_file():
            warnings.append(f"{path}: recorded GeoNames dump no longer exists; its places are not in the rebuilt "
                            f"index and it is dropped from {registry_path(index_path)} "
                            f"(restore it and run `clashmap gazetteer add {path}`)")
            continue
        try:
            digest = _sha256(path)
            count = add_dump(index_path, path)
        except (OSError, ValueError) as err:
            warnings.append(f"recorded GeoNames dump skipped and dropped from {registry_path(index_path)}: {err}")
            continue
        changed = " (file changed since it was added; current contents applied)" if digest != entry["sha256"] else ""
        applied.append(f"{path}: {count} places re-added{changed}")
        kept.append({"path": str(path), "sha256": digest})
    if kept != entries:
        _write_registry(index_path, kept)
    return applied, warnings


def unrecorded_dump_sources(index_path: str | Path) -> list[str]:
    """File names of dumps in an existing index that the registry does not know (added before it existed).

    Read before a rebuild, so the build can say which dumps it is about to lose instead of losing them silently.
    """
    index_path = Path(index_path)
    if not index_path.exists():
        return []
    known = {Path(e["path"]).name for e in recorded_dumps(index_path)}
    db = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT DISTINCT source FROM place WHERE source LIKE 'dump:%'").fetchall()
    except sqlite3.Error:
        return []  # not a readable index: the rebuild replaces it anyway
    finally:
        db.close()
    return sorted(name for (source,) in rows if (name := source[len("dump:"):]) not in known)
