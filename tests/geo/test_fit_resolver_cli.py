"""bench.fit_resolver without scikit-learn (the bench extra) says so in one line, no traceback."""

from __future__ import annotations

import sys


def test_fit_resolver_without_scikit_learn_is_one_line(monkeypatch, capsys):
    from bench import fit_resolver

    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn now raises ImportError
    monkeypatch.setitem(sys.modules, "sklearn.linear_model", None)
    assert fit_resolver.main(["--train", "LGL", "--fixed-c"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "scikit-learn" in err and "pip install -e '.[bench]'" in err


def test_fit_resolver_freeze_of_an_unknown_feature_is_one_line(capsys):
    from bench import fit_resolver

    assert fit_resolver.main(["--train", "LGL", "--freeze", "country,populaton"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--freeze" in err and "populaton" in err and "log_pop" in err


def test_regularisation_is_the_strongest_within_one_standard_error_of_the_best():
    """C values a few names apart on the held-out half are a tie: the one nearest the hand rules (smallest C)
    is chosen; a C clearly better than the others still wins."""
    from bench.fit_resolver import choose_c

    # 2,600 names at ~0.87: one standard error is ~0.0066
    tie = {0.001: (0.8727, 2600), 0.01: (0.8752, 2600), 0.1: (0.8752, 2600), 1.0: (0.8700, 2600)}
    assert choose_c(tie) == 0.001
    clear = {0.001: (0.850, 2600), 0.01: (0.8752, 2600), 0.1: (0.860, 2600)}
    assert choose_c(clear) == 0.01
