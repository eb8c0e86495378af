"""data/cache_headers.csv: the rules `clashmap serve` reads before it starts the server; a bad row is one line."""

from __future__ import annotations

import pytest

from clashmap.errors import ConfigError
from dashboard.cache_headers import RULES_FILE, cache_control_for, cache_rules


def test_the_map_bundle_is_kept_and_other_paths_keep_streamlits_headers():
    rules = cache_rules()
    assert "immutable" in cache_control_for("/component/streamlit_folium.st_folium/static/js/main.1a2b3c.js", rules)
    assert cache_control_for("/app/static/vendor/leaflet/leaflet.js", rules) == "public, max-age=3600"
    assert "immutable" in cache_control_for("/cm/layers/0123abcd.js", rules)  # dashboard/layer_files.py
    assert cache_control_for("/", rules) is None and cache_control_for("/_stcore/health", rules) is None


@pytest.mark.parametrize("row, says", [
    ("component/x/,,\"public, max-age=60\",no leading slash\n", "line {n}: a rule needs a path prefix starting with '/'"),
    ("/x/,,,no value\n", "line {n}: a rule needs"),
    ("/x/,,public — für immer,not ASCII\n", "ASCII"),
])
def test_a_bad_row_is_one_line_naming_file_and_line(tmp_path, row, says):
    path = tmp_path / "cache_headers.csv"
    path.write_text(RULES_FILE.read_text(encoding="utf-8") + row, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        cache_rules(path)
    message = str(caught.value)
    says = says.format(n=len(RULES_FILE.read_text(encoding="utf-8").splitlines()) + 1)  # the row appended
    assert "\n" not in message and str(path) in message and says in message, message


def test_an_unreadable_file_is_one_line(tmp_path):
    with pytest.raises(ConfigError) as caught:
        cache_rules(tmp_path / "missing.csv")
    assert "missing.csv: cannot read the cache headers" in str(caught.value)
