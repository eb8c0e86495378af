"""The article reader: the wire format, plain text, batches, and clear rejections."""

from __future__ import annotations

import json
from datetime import date

import pytest

from articles import Article, ArticleError, read_file, read_text
from articles.reader import read_records
from articles.model import article_id


@pytest.mark.parametrize("dash", ["–", "—", "-"])
def test_dateline_with_any_dash_and_optional_time(dash):
    article = read_text(f"date 2020-11-09 BEIRUT, LEBANON (6:00 A.M.) {dash} Troops stormed the town.")
    assert article.published == date(2020, 11, 9)
    assert article.dateline == "BEIRUT, LEBANON"
    assert article.filed_time == "6:00 A.M."
    assert article.body == "Troops stormed the town."
    assert article.text[article.dateline_start : article.dateline_end] == "BEIRUT, LEBANON"


def test_leading_whitespace_and_no_time():
    article = read_text("  date 2020-10-04 STEPANAKERT, NAGORNO-KARABAKH – Sirens sounded all night.\nSecond paragraph.")
    assert article.dateline == "STEPANAKERT, NAGORNO-KARABAKH"
    assert article.filed_time is None
    assert article.body.startswith("Sirens sounded")
    assert article.body.endswith("Second paragraph.")


def test_header_lines_give_outlet_and_title():
    article = read_text("source: Caspian Wire\ntitle: Night of shelling\ndate 2020-10-05 BAKU, AZERBAIJAN - Text.")
    assert (article.outlet, article.title, article.published) == ("Caspian Wire", "Night of shelling", date(2020, 10, 5))


def test_a_date_line_without_a_dateline_after_the_header_lines_is_the_publication_date():
    """A pasted story: its title line, then "date 2025-03-09" alone on its line (no dateline, no dash): the day is
    the story's publication date, and the date line is not part of the body (it was dropped before, the story undated)."""
    article = read_text("source: Hill Post\ntitle: Clash near a river town\ndate 2025-03-09\n\n"
                        "Soldiers clashed with rebels outside the town on Saturday.")
    assert (article.outlet, article.title, article.published) == ("Hill Post", "Clash near a river town", date(2025, 3, 9))
    assert article.body.lstrip().startswith("Soldiers clashed")


def test_plain_text_without_header_is_an_article_without_date():
    article = read_text("Fighting resumed near Martuni, officials said.")
    assert article.published is None and article.dateline is None
    assert article.body == "Fighting resumed near Martuni, officials said."


def test_hyphenated_city_in_dateline_is_not_cut_at_its_hyphen():
    article = read_text("date 2020-02-28 AL-HASAKAH, SYRIA - A convoy was hit.")
    assert article.dateline == "AL-HASAKAH, SYRIA"


def test_id_is_stable_across_whitespace_and_quote_styles():
    assert article_id("Aliyev’s  claim\nwas denied.") == article_id("Aliyev's claim was denied.  ")
    assert article_id("one story") != article_id("another story")


def test_empty_file_is_rejected_with_its_name(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    with pytest.raises(ArticleError) as err:
        read_file(path)
    assert str(path) in str(err.value) and "empty" in str(err.value)


def test_binary_file_is_rejected_with_its_name(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ArticleError, match="binary") as err:
        read_file(path)
    assert str(path) in str(err.value)


def test_non_utf8_file_is_rejected(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("date 2020-10-05 BAKU, AZERBAIJAN – Troops entered Göygöl.".encode("cp1252", "replace"))
    with pytest.raises(ArticleError, match="is not UTF-8 text"):
        read_file(path)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_with_a_bom_are_read(tmp_path, codec):
    text = "title: Göygöl\ndate 2020-10-05 BAKU, AZERBAIJAN – Troops entered Göygöl."
    path = tmp_path / "wide.txt"
    raw = text.encode(codec)
    if codec == "utf-16-be":
        raw = b"\xfe\xff" + raw
    path.write_bytes(raw)
    article, = read_file(path)
    assert article.title == "Göygöl" and article.dateline == "BAKU, AZERBAIJAN"
    assert article.body == "Troops entered Göygöl."


def test_impossible_date_is_rejected():
    with pytest.raises(ArticleError, match="2020-02-31"):
        read_text("date 2020-02-31 BAKU, AZERBAIJAN – Text.", "feb.txt")


def test_json_and_csv_batches(tmp_path):
    records = [{"text": "date 2020-10-05 BAKU, AZERBAIJAN – Ganja was shelled.", "source": "Wire A"},
               {"text": "Plain report from Tartar.", "published": "2020-10-06", "title": "Tartar"}]
    (tmp_path / "batch.json").write_text(json.dumps(records), encoding="utf-8")
    articles = read_file(tmp_path / "batch.json")
    assert [a.outlet for a in articles] == ["Wire A", None]
    assert articles[1].published == date(2020, 10, 6)
    (tmp_path / "batch.csv").write_text('text,source\n"Barda was hit, officials said.",Wire B\n', encoding="utf-8")
    assert read_file(tmp_path / "batch.csv")[0].outlet == "Wire B"


def test_batch_record_without_text_is_rejected_alone_by_its_number(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"text": "Shells hit Barda."}, {"body": "no text key"}, {"text": "Ganja was hit."}]),
                    encoding="utf-8")
    outcomes = list(read_records(path))
    assert [label for label, _ in outcomes] == [f"{path}:record {i}" for i in (1, 2, 3)]
    assert isinstance(outcomes[0][1], Article) and isinstance(outcomes[2][1], Article)
    assert str(outcomes[1][1]) == f"{path}:record 2: has no 'text' field: each record needs one holding the article"
    with pytest.raises(ArticleError, match=r"bad\.json:record 2"):  # read_file stays strict
        read_file(path)


def test_bad_json_lines_line_is_named_by_its_real_line_number(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text('{"text": "Shells hit Barda."}\n\n{"text": "Ganja was hit."}\n{"text": broken\n'
                    '{"text": "Tartar was hit."}\n', encoding="utf-8")
    outcomes = list(read_records(path))
    rejected = [str(o) for _, o in outcomes if isinstance(o, ArticleError)]
    assert rejected == [f"{path}:line 4: is not valid JSON (Expecting value at column 10)"]
    assert [a.body for _, a in outcomes if isinstance(a, Article)] == ["Shells hit Barda.", "Ganja was hit.",
                                                                       "Tartar was hit."]


def test_json_lines_in_a_json_file_and_csv_lines_are_named(tmp_path):
    path = tmp_path / "wire.json"
    path.write_text('{"text": "Shells hit Barda."}\n{"text": 5}\n', encoding="utf-8")
    outcomes = list(read_records(path))
    assert str(outcomes[1][1]) == f"{path}:line 2: has a number in its 'text' field, where text is expected"
    csv_path = tmp_path / "wire.csv"
    csv_path.write_text('title,text\nA,"two\nlines"\nB,\n\nC,Ganja was hit.\n', encoding="utf-8")
    outcomes = list(read_records(csv_path))
    assert [label for label, _ in outcomes] == [f"{csv_path}:line {n}" for n in (2, 4, 6)]
    assert "is empty" in str(outcomes[1][1])
    assert outcomes[0][1].text == "two\nlines" and outcomes[2][1].title == "C"


@pytest.mark.parametrize(("text", "dateline", "body"), [
    ("BAKU, AZERBAIJAN — Rockets fell near the dam.", "BAKU, AZERBAIJAN", "Rockets fell near the dam."),
    ("STEPANAKERT, AZERBAIJAN – Troops entered Lachin.", "STEPANAKERT, AZERBAIJAN", "Troops entered Lachin."),
    ("DEIR EZ-ZOR, Syria (AP) - A bus was ambushed.", "DEIR EZ-ZOR, Syria", "A bus was ambushed."),
])
def test_wire_dateline_without_date_line(text, dateline, body):
    article = read_text(text)
    assert article.published is None
    assert article.dateline == dateline
    assert article.text[article.dateline_start : article.dateline_end] == dateline
    assert article.body == body


@pytest.mark.parametrize("text", [
    "Fighting resumed near Martuni — officials said so on Monday.",
    "The UN said - in a statement - that aid was blocked.",
    "Baku, Azerbaijan — a dateline not in capitals is an ordinary sentence.",
])
def test_ordinary_first_sentence_with_a_dash_is_no_dateline(text):
    article = read_text(text)
    assert article.dateline is None and article.body == text


def test_a_folder_named_like_an_article_is_one_rejection(tmp_path):
    folder = tmp_path / "looks-like.txt"
    folder.mkdir()
    (outcome_label, outcome), = read_records(folder)
    assert outcome_label == str(folder) and isinstance(outcome, ArticleError)
    assert str(outcome).startswith(f"{folder}: ")


def test_json_array_is_read_record_by_record(tmp_path):
    path = tmp_path / "dump.json"
    deep = "[" * 6000 + "]" * 6000
    path.write_text('[{"text": "Shells hit Barda."}, {"text": "x", "tags": ' + deep + '},\n'
                    ' {"text": "Ganja \\"]\\" was hit."}, {"text": "cut off"', encoding="utf-8")
    outcomes = [(label, o if isinstance(o, ArticleError) else o.body) for label, o in read_records(path)]
    assert [(label, str(o)) for label, o in outcomes] == [
        (f"{path}:record 1", "Shells hit Barda."),
        (f"{path}:record 2", f"{path}:record 2: is nested too deeply to be an article record"),
        (f"{path}:record 3", 'Ganja "]" was hit.'),
        (str(path), f"{path}: is not valid JSON (Expecting ',' delimiter at line 2 column 54): records from 4 on "
                    "are not read"),
    ]


@pytest.mark.parametrize(("text", "dateline", "published"), [
    ("EL FASHER, Sudan, May 12, 2025 (Newsdesk) -- Fighters shelled a camp.", "EL FASHER, Sudan", date(2025, 5, 12)),
    ("GAO, Mali, Sept. 4, 2024 — Rockets fell on the airport.", "GAO, Mali", date(2024, 9, 4)),
    ("ADEN, Dec 30, 2023 — A drone struck the port.", "ADEN", date(2023, 12, 30)),
    # a year-less wire date says too little: the article stays undated rather than dated by a guessed year
    ("KYIV, March 3 (Reuters) - Drones hit the city.", "KYIV", None),
])
def test_a_wire_dateline_with_its_filing_day(text, dateline, published):
    article = read_text(text)
    assert (article.dateline, article.published) == (dateline, published)
    assert article.body.split()[0] in {"Fighters", "Rockets", "A", "Drones"}


def test_an_impossible_day_in_a_wire_dateline_names_the_article():
    with pytest.raises(ArticleError, match=r"wire\.txt: has an impossible date in its dateline 'GAO, Mali, Feb"):
        read_text("GAO, Mali, February 30, 2024 — Rockets fell.", "wire.txt")
    # "Mayo" is no month: the line is an ordinary sentence, not a dateline
    assert read_text("GAO, Mali, Mayo 4, 2024 — Rockets fell.").dateline is None


def test_a_wire_dateline_after_header_lines_is_read():
    article = read_text("title: Drone strike on a depot\nsource: Newsdesk\nGAO, Mali, Sept. 4, 2024 (Newsdesk) — "
                        "A drone struck a fuel depot.")
    assert (article.title, article.outlet, article.dateline) == ("Drone strike on a depot", "Newsdesk", "GAO, Mali")
    assert article.published == date(2024, 9, 4) and article.body == "A drone struck a fuel depot."


@pytest.mark.parametrize(("text", "title", "published"), [
    # a page pasted whole: its headline on a line of its own, then the wire dateline opening the first paragraph
    ("Gunmen raid a border post\n\nKIDAL, Mali (Newsdesk) — Gunmen raided a border post at dawn.",
     "Gunmen raid a border post", None),
    ("date 2024-02-01\nGunmen raid a border post\nKIDAL, Mali — Gunmen raided a border post at dawn.",
     "Gunmen raid a border post", date(2024, 2, 1)),
    # a byline is who wrote the story, not its title
    ("By Awa Traore\nKIDAL, Mali — Gunmen raided a border post at dawn.", None, None),
])
def test_a_wire_dateline_under_a_pasted_headline_is_read(text, title, published):
    article = read_text(text)
    assert (article.dateline, article.title, article.published) == ("KIDAL, Mali", title, published)
    assert article.text[article.dateline_start:article.dateline_end] == "KIDAL, Mali"
    # the headline stays in the text the event rules read: it often names the event
    assert article.body.splitlines()[0] == text.splitlines()[1 if published else 0]


@pytest.mark.parametrize("text", [
    "Aid convoy reaches the city\n\nThe convoy - forty lorries - reached the city at noon.",
    "A long first sentence that ends in a full stop.\nKIDAL, Mali — this line follows a sentence, not a headline.",
])
def test_a_first_line_over_an_ordinary_paragraph_gives_no_dateline(text):
    article = read_text(text)
    assert article.dateline is None and article.title is None and article.body == text


def test_months_are_read_alike_by_the_reader_and_the_date_rules():
    from articles.calendar import month_number
    from events.dates import find_dates

    assert [month_number(w) for w in ("Jan", "Sept.", "sep", "JUNE", "Mayo", "")] == [1, 9, 9, 6, None, None]
    for written in ("Sept. 4, 2024", "September 4, 2024", "Sep 4, 2024"):
        assert read_text(f"GAO, Mali, {written} — Rockets fell.").published == date(2024, 9, 4)
        assert [d.date for d in find_dates(f"Rockets fell on {written}.", date(2024, 9, 30))] == [date(2024, 9, 4)]
