"""The resolver's signals as a small named vector per candidate, and the weights that add them up.

A candidate's score is the sum of weight x feature over `FEATURES`; the weights live in a data file
(data/resolver_weights.json, or the file CLASHMAP_RESOLVER_WEIGHTS names) written by
`python -m bench.fit_resolver`, so nothing here is a hand-tuned constant. At run time only that
JSON file is read; fitting (scikit-learn) is a bench-time step.

Features (all about one candidate place for one name of one article):

- log_pop: log10(population + 1)
- country / region / feature / capital: kind indicators (a continent or ocean counts as a country)
- focus: the share of the article's country evidence (other names, demonyms, dateline) in its country
- region: the share of the article's first-level-region evidence in its region
- near: another name of the article is first read within 150 km of it
- alternate: it is called so only in an alternate name
- shared: how much the article's other names could lie in its region
- dateline: it lies in the dateline's country
- outlet: it lies in the country of the article's outlet (its URL's country domain)
- region_cue: a region, and the text around the name says a region is meant ("X Gov.", "X state",
  "in northeast X", a list of regions)
- city_in_region: a region that holds a town of the same name (New York, Quebec), or whose country has a
  prominent city of its name elsewhere (Washington): the town is what a bare name usually means, unless the
  other signals say otherwise
- dateline_region: it lies in (or is) the first-level region the dateline names after its town ("PARIS, Tenn.":
  Toponym.within), the region the reporter writes from
- actor_country: it lies in the home country of an armed group the story names (data/actors.csv country
  column: "TTP militants" point to Pakistan)
- coherence: how many of the article's other names (up to 2, as 0 / 0.5 / 1) have some candidate within 150 km
  of it, any candidate, not only their first reading ("Paris" and "Henry County" lie together only in
  Tennessee); a namesake 100 times smaller than its name's biggest place counts for nothing (Ontario's
  London, Paris and Brussels), as does a place called so only in an alternate name, and countries and
  first-level regions have none. It chooses among namesakes
  in the country the story's evidence points to most, never against it (London, Edmonton and Enfield lie
  together in England, but in a story that names Canada three times they are Canada's)
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from clashmap.errors import ConfigError

FEATURES = ("log_pop", "country", "region", "feature", "capital", "focus", "region_share", "near",
            "alternate", "shared", "dateline", "outlet", "region_cue", "city_in_region", "dateline_region",
            "actor_country", "coherence")
DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "resolver_weights.json"


def _setting_path() -> str:
    from clashmap.settings import get_settings

    return get_settings().resolver_weights


def weights_path() -> Path:
    return Path(_setting_path() or DEFAULT_WEIGHTS)


@functools.lru_cache(maxsize=8)
def _load(path: str) -> tuple[float, ...]:
    where = f"{path} (set by CLASHMAP_RESOLVER_WEIGHTS)" if _setting_path() else path
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{where}: resolver weights file not found; restore data/resolver_weights.json "
                          "or write one with `python -m bench.fit_resolver`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"{where}: resolver weights file unreadable ({err.__class__.__name__}: {err})") from None
    weights = data.get("weights") if isinstance(data, dict) else None
    if not isinstance(weights, dict):
        raise ConfigError(f"{where}: resolver weights file has no \"weights\" object")
    missing = [f for f in FEATURES if f not in weights]
    if missing:
        raise ConfigError(f"{where}: resolver weights file lacks weights for {', '.join(missing)}")
    bad = [f for f in FEATURES if not isinstance(weights[f], (int, float)) or isinstance(weights[f], bool)
           or not math.isfinite(weights[f])]
    if bad:
        raise ConfigError(f"{where}: resolver weights must be finite numbers ({', '.join(bad)} is not)")
    return tuple(float(weights[f]) for f in FEATURES)


def load_weights(path: str | Path | None = None) -> tuple[float, ...]:
    """The weights in `FEATURES` order; a missing or corrupt file is one ConfigError line."""
    return _load(str(path or weights_path()))


def dot(weights: tuple[float, ...], values: tuple[float, ...]) -> float:
    return sum(w * v for w, v in zip(weights, values) if v)


def top_contributions(weights: tuple[float, ...], values: tuple[float, ...], n: int = 4) -> str:
    """The features that weighed most in a score, for the trace: "focus +2.10, log_pop +1.80, ..."."""
    parts = sorted(((w * v, f) for f, w, v in zip(FEATURES, weights, values) if w * v),
                   key=lambda p: -abs(p[0]))[:n]
    return ", ".join(f"{f} {c:+.2f}" for c, f in parts) or "no signal"


# country-code top-level domains that are not the ISO code of their country
_TLD_COUNTRY = {"uk": "GB"}


def outlet_country(url: str | None) -> str | None:
    """The country an outlet's URL says it is from (its country-code domain: bbc.co.uk -> GB, cbc.ca -> CA);
    None for generic domains (.com, .org) and for no URL. A weak prior: outlets report abroad too."""
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return None
    tld = host.rsplit(".", 1)[-1].lower()
    if len(tld) != 2 or not tld.isalpha():
        return None
    return _TLD_COUNTRY.get(tld, tld.upper())
