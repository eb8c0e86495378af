"""NER runs only where it can change what is found, and the batched worker path agrees with the single one."""

from __future__ import annotations

import pytest

from geo.gazetteer import DEFAULT_INDEX
from geo.toponyms import ner_entities, ner_segments, ner_stream

needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")

TEXTS = [
    "He said the talks would go on. Shelling hit Stepanakert overnight. It was quiet by noon.",
    "Baku was quiet. The ministry said nothing more. Officials in Yerevan denied the claim.",
    "nothing capitalised here at all",
]


@needs_index
def test_sentences_naming_nothing_are_left_out():
    text = TEXTS[0]
    spans = ner_segments(text)
    assert [text[a:b] for a, b in spans] == ["Shelling hit Stepanakert overnight."]
    assert ner_segments(TEXTS[2]) == []
    # a sentence opening with a known place name is kept: only NER can vouch for it there
    assert text_of(TEXTS[1], ner_segments(TEXTS[1]))[0].startswith("Baku was quiet.")


def text_of(text, spans):
    return [text[a:b] for a, b in spans]


@needs_index
def test_worker_processes_give_the_same_entities_as_one_call():
    single = [ner_entities(t) for t in TEXTS]
    assert list(ner_stream(TEXTS, n_process=2, batch_size=1)) == single
    assert list(ner_stream(TEXTS, n_process=1)) == single
    assert any(TEXTS[0][e.start:e.end] == "Stepanakert" for e in single[0])
