"""`clashmap extract --explain`: an editor asks why, and each place and event answers with its reason."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

STORY = """title: Shelling reported near a border town
date 2024-03-12 KHARKIV, Ukraine -- Artillery shelled the town of Vovchansk on Monday, local officials said.
"""


def _extract(tmp_path, *flags, story: str = STORY):
    path = tmp_path / "story.txt"
    path.write_text(story, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "clashmap", "extract", *flags, str(path)], capture_output=True,
                          text=True, cwd=ROOT, env={"CLASHMAP_DB": f"sqlite:///{tmp_path / 'store.sqlite'}",
                                                    "PATH": "/usr/bin:/bin"}, timeout=300)


def test_explain_gives_each_place_and_event_its_reason(tmp_path):
    done = _extract(tmp_path, "--explain")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "  explain:" in lines
    places = [line for line in lines if "[pipeline.place]" in line and "'Vovchansk'" in line]
    assert places and "(UA)" in places[0] and "resolver " in places[0], done.stdout
    events = [line for line in lines if "[pipeline.event]" in line]
    assert events and "shelled" in events[0] and "on 2024-03-11" in events[0], done.stdout


def test_an_event_of_a_story_with_no_date_at_all_says_its_date_is_unknown(tmp_path):
    """No publication date and no date in the text: the editor reads 'date unknown', not Python's 'None'."""
    undated = "Artillery shelled the town of Vovchansk, local officials said.\n"
    done = _extract(tmp_path, "--explain", story=undated)
    assert done.returncode == 0, done.stderr
    assert "None" not in done.stdout, done.stdout
    assert any(line.startswith("  date unknown ") for line in done.stdout.splitlines()), done.stdout
    events = [line for line in done.stdout.splitlines() if "[pipeline.event]" in line]
    assert events and "on an unknown date" in events[0], done.stdout


def test_without_explain_no_trace_is_printed(tmp_path):
    done = _extract(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "explain:" not in done.stdout and "[pipeline." not in done.stdout


def test_explain_in_json_is_a_list_of_decisions(tmp_path):
    done = _extract(tmp_path, "--explain", "--format", "json")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout.splitlines()[0])
    stages = {d["stage"] for d in record["explain"]}
    assert {"pipeline.place", "pipeline.event"} <= stages
    assert all(set(d) == {"stage", "subject", "outcome", "reason", "at"} for d in record["explain"])
