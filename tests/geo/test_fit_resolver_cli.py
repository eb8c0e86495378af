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
