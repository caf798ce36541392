"""Item-kNN, EASE and ALS on the two-cluster fixture, plus hand-checked internals."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from movia.errors import ConfigError
from movia.evaluation.columns import ITEM_ID
from movia.models.recommenders import (
    ALSRecommender,
    EASERecommender,
    ItemKNNRecommender,
)
from movia.models.recommenders.item_features import token_matrix
from movia.models.recommenders.mf import _conjugate_gradient_side, implicit_loss


@pytest.mark.parametrize(
    "model",
    [
        ItemKNNRecommender(n_neighbors=3, shrink=0.0),
        EASERecommender(l2=1.0),
        EASERecommender(l2=1.0, side_weight=1.0),
        ALSRecommender(factors=4, regularization=0.1, alpha=5.0, iterations=10),
    ],
    ids=["item_knn", "ease", "ease_side", "als"],
)
def test_each_model_completes_its_cluster(model, two_clusters, catalogue) -> None:
    model.fit(two_clusters, catalogue)
    recs = model.recommend([1, 5], k=1)
    assert recs[ITEM_ID].tolist() == [3, 6]


def test_item_knn_similarity_by_hand(two_clusters) -> None:
    model = ItemKNNRecommender(n_neighbors=6, shrink=1.0).fit(two_clusters)
    sim = model.similarity_.toarray()
    # items 1 and 2: 4 common users, |x1| = |x2| = 2 → 4 / (2 * 2 + 1).
    assert sim[0, 1] == pytest.approx(4 / 5)
    # items 1 and 3: 3 common users, |x3| = sqrt(3) → 3 / (2 * sqrt(3) + 1).
    assert sim[0, 2] == pytest.approx(3 / (2 * np.sqrt(3) + 1))
    assert sim[0, 3] == 0.0 and np.all(np.diag(sim) == 0)
    # user 1's score for item 3 = sim(1,3) + sim(2,3) + sim(7,3).
    expected = sim[0, 2] + sim[1, 2] + sim[6, 2]
    assert model.score([1], [3])[0, 0] == pytest.approx(expected, rel=1e-6)


def test_item_knn_keeps_only_top_neighbours(two_clusters) -> None:
    model = ItemKNNRecommender(n_neighbors=1, shrink=0.0).fit(two_clusters)
    assert (model.similarity_.toarray() > 0).sum(axis=0).max() == 1
    with pytest.raises(ConfigError, match="weighting"):
        ItemKNNRecommender(weighting="tfidf").fit(two_clusters)


def test_ease_matches_the_closed_form(two_clusters) -> None:
    model = EASERecommender(l2=2.0).fit(two_clusters)
    x = model.binary_rows(np.arange(8)).toarray()
    p = np.linalg.inv(x.T @ x + 2.0 * np.eye(7))
    b = np.eye(7) - p / np.diag(p)
    assert np.allclose(model.weights_, b, atol=1e-5)
    assert np.all(np.diag(model.weights_) == 0)
    assert np.allclose(model.score([1]), x[[0]] @ b, atol=1e-5)
    with pytest.raises(ConfigError, match="l2"):
        EASERecommender(l2=0).fit(two_clusters)


def test_ease_min_interactions_hides_rare_items(two_clusters) -> None:
    model = EASERecommender(l2=1.0, min_item_interactions=4).fit(two_clusters)
    # items 3 and 6 have 3 interactions: unsupported, never recommended.
    assert model.support_.tolist() == [True, True, False, True, True, False, True]
    recs = model.recommend([1], k=10)
    assert 3 not in set(recs[ITEM_ID]) and 6 not in set(recs[ITEM_ID])


def test_side_tokens(catalogue) -> None:
    matrix, vocabulary = token_matrix(catalogue, np.array([3, 1, 99]))
    assert "genre:Sci-Fi" in vocabulary and "decade:1990" in vocabulary
    row_3 = {vocabulary[j] for j in matrix[0].indices}
    assert row_3 == {"genre:Sci-Fi", "genre:Action", "decade:1990"}
    assert matrix[2].nnz == 0


def test_conjugate_gradient_matches_exact_solve() -> None:
    rng = np.random.default_rng(0)
    matrix = sp.random(12, 9, density=0.4, random_state=1, format="csr")
    matrix.data[:] = 1.0
    other = rng.normal(size=(9, 3))
    start = np.zeros((12, 3))
    solved = _conjugate_gradient_side(matrix, start, other, 0.5, 4.0, steps=3)
    gram = other.T @ other + 0.5 * np.eye(3)
    for row in range(12):
        cols = matrix[row].indices
        if cols.size == 0:
            continue
        system = gram + 4.0 * other[cols].T @ other[cols]
        exact = np.linalg.solve(system, 5.0 * other[cols].sum(axis=0))
        # CG on a 3-d system converges in 3 steps.
        assert np.allclose(solved[row], exact, atol=1e-8)


def test_als_loss_decreases_and_is_reproducible(two_clusters) -> None:
    first = ALSRecommender(factors=3, iterations=6, random_state=7).fit(two_clusters)
    second = ALSRecommender(factors=3, iterations=6, random_state=7).fit(two_clusters)
    losses = first.loss_history_
    assert len(losses) == 6
    assert all(b <= a + 1e-6 for a, b in zip(losses, losses[1:], strict=False))
    assert np.array_equal(first.user_factors_, second.user_factors_)


def test_implicit_loss_by_hand() -> None:
    matrix = sp.csr_matrix(np.array([[1.0, 0.0]]))
    users, items = np.array([[1.0]]), np.array([[0.5], [2.0]])
    # scores 0.5 (observed, c = 3) and 2 (unobserved): 3 * 0.25 + 4 + 0.1 * (1 + 0.25 + 4).
    assert implicit_loss(matrix, users, items, 0.1, 2.0) == pytest.approx(
        0.75 + 4 + 0.525
    )


def test_als_writes_tensorboard_events(two_clusters, tmp_path) -> None:
    ALSRecommender(factors=2, iterations=2, tensorboard_dir=str(tmp_path)).fit(
        two_clusters
    )
    assert list(tmp_path.glob("als-*/events.out.tfevents.*"))
