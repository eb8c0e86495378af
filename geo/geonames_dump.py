"""Load a GeoNames country dump (e.g. AZ.txt from the GeoNames export) into the gazetteer index.

cities500 stops at 500 inhabitants, and war reports name villages below that (Garayusifli) or
places GeoNames files under other feature classes. A country dump has them all, in the standard
19-column tab-separated format; a malformed file is refused whole, naming the file and line,
before anything is written.
"""

from __future__ import annotations

import sqlite3
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
                db.execute("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", place)
                main = normalize_name(place[1])
                keys = {(normalize_name(n), 0) for n in names} | {(main, 1)}
                db.executemany("INSERT OR IGNORE INTO alias VALUES (?,?,?)",
                               [(k, place[0], m) for k, m in keys if is_latin_key(k) and (m or k != main)])
    finally:
        db.close()
    return len(rows)
