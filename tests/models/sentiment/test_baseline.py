"""TF-IDF baselines: they learn, a shuffled-label control does not, raw input never crashes."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone

from movia.errors import DataError
from movia.evaluation.classification import accuracy
from movia.models.sentiment import NBLogCountRatio, TfidfSentimentClassifier


@pytest.mark.parametrize("nb_weighting", [False, True])
def test_learns_the_tiny_corpus(corpus, nb_weighting: bool) -> None:
    model = TfidfSentimentClassifier(min_df=1, nb_weighting=nb_weighting)
    model.fit(corpus.train_texts, corpus.train_labels)
    prob = model.predict_proba(corpus.test_texts)
    assert prob.shape == (60, 2)
    np.testing.assert_allclose(prob.sum(axis=1), 1.0)
    assert accuracy(corpus.test_labels, prob[:, 1]) == 1.0
    assert list(model.predict(corpus.test_texts[:3])) == corpus.test_labels[:3]


@pytest.mark.parametrize("nb_weighting", [False, True])
def test_shuffled_labels_stay_near_chance(corpus, nb_weighting: bool) -> None:
    shuffled = list(np.random.default_rng(0).permutation(corpus.train_labels))
    model = TfidfSentimentClassifier(min_df=1, nb_weighting=nb_weighting)
    model.fit(corpus.train_texts, shuffled)
    assert (
        accuracy(corpus.test_labels, model.predict_proba(corpus.test_texts)[:, 1]) < 0.7
    )


def test_contract_for_the_generation_pipeline(corpus) -> None:
    model = TfidfSentimentClassifier(min_df=1).fit(
        corpus.train_texts, corpus.train_labels
    )
    assert list(model.classes_) == ["neg", "pos"]
    raw = [
        "<b>great</b> &amp; wonderful<br />film",
        "",
        None,
        float("nan"),
        "zzz unseen words",
    ]
    prob = model.predict_proba(raw)
    assert prob.shape == (5, 2)
    assert prob[0, 1] > 0.5  # markup and entities removed before scoring
    # empty, None, NaN and out-of-vocabulary text all get the model's prior, the same value
    np.testing.assert_allclose(prob[1:, 1], prob[1, 1])


def test_a_single_string_is_refused(corpus) -> None:
    model = TfidfSentimentClassifier(min_df=1).fit(
        corpus.train_texts, corpus.train_labels
    )
    with pytest.raises(DataError, match="single string"):
        model.predict_proba("great film")


@pytest.mark.parametrize(
    ("labels", "message"),
    [(["pos", "pos"], "single class"), (["pos", "meh"], "'meh'"), (["pos"], "2 texts")],
)
def test_bad_labels_raise(labels: list[str], message: str) -> None:
    with pytest.raises(DataError, match=message):
        TfidfSentimentClassifier(min_df=1).fit(["good", "bad"], labels)


def test_follows_the_scikit_learn_contract(corpus) -> None:
    model = TfidfSentimentClassifier(ngram_range=[1, 3], C=2.0, nb_weighting=True)
    assert model.get_params()["ngram_range"] == [1, 3]  # stored unchanged
    twin = clone(model)
    assert twin.get_params() == model.get_params()
    assert not hasattr(twin, "pipeline_")
    fitted = model.set_params(min_df=1).fit(corpus.train_texts, corpus.train_labels)
    assert fitted is model
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(
        again.predict_proba(corpus.test_texts), model.predict_proba(corpus.test_texts)
    )


def test_fit_is_deterministic(corpus) -> None:
    a = TfidfSentimentClassifier(min_df=1, nb_weighting=True).fit(
        corpus.train_texts, corpus.train_labels
    )
    b = TfidfSentimentClassifier(min_df=1, nb_weighting=True).fit(
        corpus.train_texts, corpus.train_labels
    )
    np.testing.assert_array_equal(
        a.predict_proba(corpus.test_texts), b.predict_proba(corpus.test_texts)
    )


def test_top_features_are_the_class_words(corpus) -> None:
    model = TfidfSentimentClassifier(min_df=1, ngram_range=(1, 1)).fit(
        corpus.train_texts, corpus.train_labels
    )
    top = model.top_features(k=6)
    assert len(top) == 12
    pos = set(top.loc[top["polarity"] == "pos", "feature"])
    neg = set(top.loc[top["polarity"] == "neg", "feature"])
    assert pos == set("great wonderful superb brilliant moving delightful".split())
    assert neg == set("awful boring dreadful terrible dull tedious".split())
    assert (top.loc[top["polarity"] == "pos", "weight"] > 0).all()
    assert top.loc[top["polarity"] == "pos", "weight"].is_monotonic_decreasing


def test_nb_log_count_ratio_by_hand() -> None:
    # feature 0 in both positives and one negative; feature 1 only in the negative documents
    X = sp.csr_matrix(np.array([[2.0, 0.0], [1.0, 0.0], [0.5, 3.0], [0.0, 1.0]]))
    y = np.array([1, 1, 0, 0])
    scaler = NBLogCountRatio(alpha=1.0).fit(X, y)
    # presence counts + 1: p = [3, 1] (sum 4), q = [2, 3] (sum 5)
    expected = np.log(np.array([3 / 4, 1 / 4]) / np.array([2 / 5, 3 / 5]))
    np.testing.assert_allclose(scaler.r_, expected)
    np.testing.assert_allclose(
        scaler.transform(X).toarray(), X.toarray() * expected[None, :]
    )
