"""Word2Vec estimator: seeded training, loss to TensorBoard, mean document vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.base import clone

from movia.text.word2vec import Word2VecEmbedder, document_vectors

CORPUS = [
    ["good", "movie", "great", "acting"],
    ["bad", "movie", "boring", "plot"],
    ["great", "plot", "good", "acting"],
    ["boring", "bad", "acting"],
] * 25


def test_fit_is_seeded_and_follows_the_estimator_contract(tmp_path: Path) -> None:
    params = {
        "vector_size": 8,
        "min_count": 1,
        "epochs": 3,
        "workers": 1,
        "random_state": 7,
    }
    embedder = Word2VecEmbedder(**params, tensorboard_dir=str(tmp_path / "tb"))
    assert not hasattr(embedder, "model_")  # __init__ only stores parameters
    assert embedder.fit(CORPUS) is embedder
    again = clone(embedder).set_params(tensorboard_dir=None).fit(CORPUS)
    np.testing.assert_array_equal(embedder.model_.wv["movie"], again.model_.wv["movie"])
    assert set(embedder.model_.wv.key_to_index) == {
        "good", "movie", "great", "acting", "bad", "boring", "plot",
    }  # fmt: skip
    assert len(embedder.loss_history_) == 3 and all(
        x > 0 for x in embedder.loss_history_
    )
    assert list((tmp_path / "tb").glob("events.out.tfevents.*"))


def test_document_vectors_are_means_of_known_words() -> None:
    model = Word2VecEmbedder(vector_size=4, min_count=1, epochs=1, workers=1).fit(
        CORPUS
    )
    wv = model.model_.wv
    vectors, known = document_vectors(
        wv, [["good", "unknown", "plot"], ["unknown"], []]
    )
    np.testing.assert_allclose(vectors[0], (wv["good"] + wv["plot"]) / 2, rtol=1e-6)
    assert known.tolist() == [True, False, False]
    assert vectors.dtype == np.float32 and not vectors[1].any()
