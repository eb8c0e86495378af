"""The article page (`article?id=...`): highlighted text, its events, and place corrections per mention.

Everyone who may view sees the text and the events; only editors (`dashboard.auth.can_edit`) get the
correction controls, and each saved correction records who made it (`auth.current_user`)."""

from __future__ import annotations

import time
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import auth, data
from dashboard.highlight import highlight
from dashboard.safe_text import md
from geo.resolve import ENCLOSING_AREA, STORY_AREA
from store.db import default_url


@st.cache_resource(show_spinner=False)
def _gazetteer():
    from geo.gazetteer import Gazetteer

    return Gazetteer()


_CORRECTION_KEY = "correction_job"
POLL = 0.5  # seconds between two looks at the correction worker's status


def start_correction(url: str, surface: str, place_id: int | None, editor: str):
    """Write the request to a job folder and apply it in `dashboard.correction_worker` (a niced process): the
    re-reading of every article that mentions the name never holds the server's GIL (other editors' pages)."""
    import json
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from dashboard.ingest_view import ROOT, IngestJob

    folder = Path(tempfile.mkdtemp(prefix="clashmap-correction-"))
    (folder / "request.json").write_text(json.dumps({"surface": surface, "place_id": place_id, "editor": editor}),
                                         encoding="utf-8")
    env = dict(os.environ, CLASHMAP_DB=url,
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    with open(folder / "worker.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "dashboard.correction_worker", str(folder)], cwd=ROOT, env=env,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    return IngestJob(folder, proc)


def region_name(country_code: str | None, admin1: str | None) -> str:
    """The first-level region's name for a gazetteer admin1 code ("04" in AM -> "Geghark'unik'i Marz"); "" when
    the gazetteer does not name it (a raw code means nothing to an editor)."""
    from store.export import gazetteer_admin1_name

    if not isinstance(admin1, str) or not admin1:
        return ""
    if not admin1.isdigit() and len(admin1) > 3:  # already a name (a place stored from Nominatim)
        return admin1
    return gazetteer_admin1_name(country_code, admin1) or ""


def country_name(country_code: str | None) -> str:
    """ACLED's name of a country ("AM" -> "Armenia"), the code itself when the table lacks it, "" for none."""
    from store.export import load_codes

    if not isinstance(country_code, str) or not country_code:
        return ""
    return load_codes().countries.get(country_code, {}).get("country") or country_code


def _label(record) -> str:
    """A correction candidate as an editor reads it: "Martuni, Geghark'unik'i Marz, Armenia (AM) · city · ..."."""
    where = ", ".join(x for x in (record.name, region_name(record.country_code, record.admin1),
                                  country_name(record.country_code)) if x)
    code = f" ({record.country_code})" if record.country_code else ""
    population = f" · pop. {record.population:,}" if record.population else ""
    return f"{where}{code} · {record.kind or 'place'}{population} · {record.lat:.3f}, {record.lon:.3f}"


def _file_name(source, full: bool = False) -> str:
    """The file an article came from; without the server's folders unless `full` (editors)."""
    if not isinstance(source, str) or not source:
        return ""
    return source if full else source.replace("\\", "/").rsplit("/", 1)[-1]


def _pick_article(url: str) -> str | None:
    arts = data.articles(url)
    if arts.empty:
        st.info("No articles stored yet: add some on the Ingest page.")
        return None
    current = st.query_params.get("id")
    def text(value, fallback: str) -> str:
        return value if isinstance(value, str) and value else fallback

    editor = auth.can_edit()  # viewers see a file's name, not the server's folders
    labels = {r.article_id: f"{r.published if isinstance(r.published, date) else 'undated'} · "
                            f"{text(r.outlet, 'unknown outlet')} · {text(r.title, _file_name(r.source_path, editor))}"
              for r in arts.sort_values("published", na_position="last").itertuples(index=False)}
    ids = list(labels)
    if current is not None and current not in labels:
        st.warning(f"No article with id {md(repr(current))} in the store: it may have been removed, or the link "
                   "was cut. Choose an article below.")
        current = None
    chosen = st.selectbox("Article", ids, index=ids.index(current) if current else None,
                          format_func=lambda i: labels.get(i, i), placeholder="Choose an article")
    if chosen and chosen != st.query_params.get("id"):
        st.query_params["id"] = chosen
    return chosen


def render() -> None:
    url = default_url()
    article_id = _pick_article(url)
    if not article_id:
        return
    detail = data.article(url, article_id)
    if detail is None:
        st.error(f"No article with id {md(repr(article_id))} in the store.")
        return
    # Title, outlet, dateline and file name come from the article: shown as text, never read as markdown.
    st.title(md(detail["title"]) if detail["title"] else "Untitled article")
    st.caption(" · ".join(md(x) for x in (detail["outlet"], detail["published"], detail["dateline"],
                                          _file_name(detail["source_path"], auth.can_edit())) if x))
    mentions = [(m["start"], m["end"], "approximate" if m.get("resolver") in (STORY_AREA, ENCLOSING_AREA) else m["role"],
                 _place_label(m)) for m in detail["mentions"]]
    evidence = [(e["start"], e["end"], f"{e['event_type']}: {e['sub_event_type']}") for e in detail["events"]]
    st.markdown("Highlights: <mark style='background:#ffc9c9'>event site</mark> "
                "<mark style='background:#cfe3ff'>other place</mark> <mark style='background:#ddd'>dateline</mark> "
                "<span style='background:#fff3c4'>event evidence</span> "
                "<mark style='background:#eee;border-bottom:2px dotted #777'>not in the gazetteer, placed at the "
                "story's town</mark>", unsafe_allow_html=True)
    st.markdown(highlight(detail["text"], mentions, evidence), unsafe_allow_html=True)

    st.subheader("Events extracted from this article")
    if detail["events"]:
        st.dataframe(events_table(detail["events"]), hide_index=True, column_config=EVENT_LABELS)
    else:
        st.caption("No events found in this article.")
    if auth.can_edit():
        _corrections(url, detail)
    else:
        _corrections_locked()


def _cell(value) -> str:
    """A table cell as text: nothing for a missing value (never "None", "nan" or "{}")."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{count} {kind}" for kind, count in value.items())
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def events_table(events: list[dict]) -> pd.DataFrame:
    """The article's events as the view shows them: every cell text, empty where nothing is known."""
    columns = EVENT_LABELS
    frame = pd.DataFrame(events).reindex(columns=list(columns))
    return pd.DataFrame({name: [_cell(v) for v in frame[name]] for name in columns})


EVENT_LABELS = {"event_date": "date", "event_type": "type", "sub_event_type": "sub-type", "actor1": "actor 1",
                "actor2": "actor 2", "place": "place", "fatalities": "killed", "losses": "losses",
                "claimed_by": "claimed by", "contested": "contested", "text": "evidence"}


def _corrections_locked() -> None:
    """What a viewer sees instead of the correction controls."""
    st.subheader("Place mentions")
    st.info("Correcting a place needs an editor login.")
    if auth.current_user() is None:  # a guest: offer the login here rather than sending them elsewhere
        with st.expander("Editor login"):
            auth.login_form()


def _place_label(mention: dict) -> str:
    """How a mention's place reads to an editor; a story-area guess says it is one."""
    if not mention["place"]:
        return ""
    label = f"{mention['place']} ({mention['country_code']})"
    if mention.get("resolver") == ENCLOSING_AREA:
        return f"≈ somewhere in {label} (name not in the gazetteer)"
    return f"≈ {label}, the story's town (name not in the gazetteer)" if mention.get("resolver") == STORY_AREA else label


def _corrections(url: str, detail: dict) -> None:
    st.subheader("Place mentions")
    st.caption("Correct a mention's place: the fix is stored and applied to the same name in every article, "
               "now and at every later ingest; their events move on the map at once.")
    pending = st.session_state.get(_CORRECTION_KEY)
    if pending is not None:
        if pending["job"].running():
            _correction_progress(pending)
        else:
            _correction_finished(pending)
    done = st.session_state.pop("correction_done", None)
    if done:
        (st.success if done[0] else st.error)(done[1])
    seen = set()
    for m in detail["mentions"]:
        surface = m["text"]
        if surface.casefold() in seen:
            continue
        seen.add(surface.casefold())
        current = _place_label(m) or "unresolved"
        label = f"{md(surface)} → {md(current)}"  # an expander label is markdown: article text goes through md()
        if m["corrected_by"]:
            label += f" · corrected by {md(m['corrected_by'])}"
        with st.expander(label):
            _correction_form(url, m)


def _correction_form(url: str, mention: dict) -> None:
    gaz = _gazetteer()
    key = f"corr_{mention['id']}"
    search = st.text_input("Search another name", key=f"{key}_q", placeholder=mention["text"])
    candidates = gaz.lookup(search or mention["text"])[:25]
    options = ["(not a place)"] + [c.id for c in candidates]
    by_id = {c.id: c for c in candidates}
    default = options.index(mention["place_id"]) if mention["place_id"] in by_id else 0
    choice = st.selectbox("Place", options, index=default, key=f"{key}_pick",
                          format_func=lambda o: o if isinstance(o, str) else _label(by_id[o]))
    if not candidates:
        st.caption("The gazetteer has no place by that name.")
    if st.button("Save correction", key=f"{key}_save"):
        editor = auth.current_user()
        if not auth.can_edit() or not editor:  # the login may have ended since the controls were drawn
            st.error("Your editor login has ended: log in again to save corrections.")
            return

        if st.session_state.get(_CORRECTION_KEY) is not None:
            st.warning("A correction is still being applied: save this one when it has finished.")
            return
        place = None if isinstance(choice, str) else by_id[choice]
        st.session_state[_CORRECTION_KEY] = {
            "job": start_correction(url, mention["text"], place.id if place else None, editor),
            "surface": mention["text"], "place": place.name if place else None}
        st.rerun()


@st.fragment(run_every=POLL)
def _correction_progress(pending: dict) -> None:
    """Shown while the worker applies the correction; the whole page reruns once it has ended."""
    job = pending["job"]
    if not job.running():
        st.rerun(scope="app")
    st.info(f"Saving the correction of {md(repr(pending['surface']))}: placing again the events of every article "
            f"that mentions it… ({time.monotonic() - job.started:.0f} s, in a worker process; the map stays usable "
            "for everyone meanwhile)")


def _correction_finished(pending: dict) -> None:
    job = pending["job"]
    status, stopped = job.status(), job.stopped_reason()
    job.cleanup()
    st.session_state.pop(_CORRECTION_KEY, None)
    data.refresh()
    surface, place = md(repr(pending["surface"])), md(pending["place"]) if pending["place"] else "no place"
    if stopped:
        st.session_state["correction_done"] = (False, f"The correction of {surface} stopped: {md(stopped)}. "
                                               "What was saved stays; `clashmap reprocess` finishes the rest.")
    else:
        st.session_state["correction_done"] = (True, f"Saved: {int(status.get('changed') or 0)} mention(s) of "
                                               f"{surface} now point to {place}; their events were placed again.")
    st.rerun()
