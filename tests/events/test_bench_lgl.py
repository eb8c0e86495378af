"""bench/bench_events_lgl.py: LGL read in place, events counted per 100 articles by half, skipped cleanly without it."""

from __future__ import annotations

from datetime import date

from bench import bench_events_lgl as lgl
from bench.bench_ucdp import half_of


def test_articles_are_read_with_their_download_day(tmp_path):
    path = tmp_path / "lgl.xml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?><articles><article docid="7"><title>Fair opens</title>'
                    "<dltime>2009-03-20 12:24:52.002364-05</dltime><text><![CDATA[The county fair opened on Friday.]]>"
                    "</text><toponyms count=\"0\"></toponyms></article></articles>", encoding="utf-8")
    (article,) = lgl.read_lgl(path)
    assert (article.id, article.title, article.published) == ("7", "Fair opens", date(2009, 3, 20))
    assert article.text == "The county fair opened on Friday."


def test_events_per_100_articles_by_half():
    ids = [str(i) for i in range(40)]
    found = {i: [lgl.LglEvent(i, "Battles", "Armed clash", "")] if int(i) % 4 == 0 else [] for i in ids}
    fig = lgl.per_100(found)
    for half in ("tuning", "held-out"):
        mine = [i for i in ids if half_of(i) == half]
        events = sum(1 for i in mine if int(i) % 4 == 0)
        assert fig[half] == (len(mine), events, 100.0 * events / len(mine))


def test_without_the_corpus_the_bench_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(lgl, "CORPUS", tmp_path / "absent" / "lgl.xml")
    lgl.run()
    assert capsys.readouterr().out.startswith("LGL events skipped: ")
