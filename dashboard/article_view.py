"""The article page (`article?id=...`): highlighted text, its events, and place corrections per mention.

Everyone who may view sees the text and the events; only editors (`dashboard.auth.can_edit`) get the
correction controls, and each saved correction records who made it (`auth.current_user`)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import auth, data
from dashboard.highlight import highlight
from dashboard.safe_text import md
from geo.resolve import STORY_AREA
from store.db import default_url


@st.cache_resource(show_spinner=False)
def _gazetteer():
    from geo.gazetteer import Gazetteer

    return Gazetteer()


@st.cache_resource(show_spinner="Loading the reading pipeline…")
def _pipeline(url: str):
    """The pipeline that re-reads the articles a correction touches (kept: the NER model loads once)."""
    from clashmap.pipeline import Pipeline

    return Pipeline(data.sessions(url), gazetteer=_gazetteer())


def _label(record) -> str:
    admin = f", {record.admin1}" if record.admin1 else ""
    return (f"{record.name}{admin} ({record.country_code or '?'}) · {record.kind} · pop. {record.population:,}"
            f" · {record.lat:.3f}, {record.lon:.3f}")


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
    if current not in labels:
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
    mentions = [(m["start"], m["end"], "approximate" if m.get("resolver") == STORY_AREA else m["role"],
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
        st.dataframe(pd.DataFrame(detail["events"])[["event_date", "event_type", "sub_event_type", "actor1", "actor2",
                                                     "place", "fatalities", "losses", "claimed_by", "contested", "text"]],
                     hide_index=True)
    else:
        st.caption("No events found in this article.")
    if auth.can_edit():
        _corrections(url, detail)
    else:
        _corrections_locked()


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
    return f"≈ {label}, the story's town (name not in the gazetteer)" if mention.get("resolver") == STORY_AREA else label


def _corrections(url: str, detail: dict) -> None:
    st.subheader("Place mentions")
    st.caption("Correct a mention's place: the fix is stored and applied to the same name in every article, "
               "now and at every later ingest; their events move on the map at once.")
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
        from store.corrections import save_correction

        editor = auth.current_user()
        if not auth.can_edit() or not editor:  # the login may have ended since the controls were drawn
            st.error("Your editor login has ended: log in again to save corrections.")
            return

        place = None if isinstance(choice, str) else by_id[choice]
        with st.spinner("Placing the events of every article that mentions it again…"):
            changed = save_correction(data.sessions(url), mention["text"], place, editor=editor,
                                      read=_pipeline(url).read)
        data.refresh()
        st.success(f"Saved: {changed} mention(s) of {md(repr(mention['text']))} now point to "
                   f"{md(place.name) if place else 'no place'}; their events were placed again.")
