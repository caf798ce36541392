"""Soft voting and language routing, with fixed stand-in models whose outputs are known."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator

from movia.errors import ConfigError, DataError
from movia.models.sentiment import LanguageRouter, SoftVotingEnsemble
from movia.models.sentiment.router import route_languages


class ConstantModel(BaseEstimator):
    """A fitted model that gives every text the same P(pos): outputs are known by hand."""

    def __init__(self, prob_pos: float) -> None:
        self.prob_pos = prob_pos

    def fit(self, texts: list[str], labels: list[str]) -> ConstantModel:
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return np.tile([1 - self.prob_pos, self.prob_pos], (len(texts), 1))


def test_ensemble_is_the_weighted_mean() -> None:
    ensemble = SoftVotingEnsemble(
        {"a": ConstantModel(0.9), "b": ConstantModel(0.3)}, weights={"a": 3, "b": 1}
    ).fit()
    # (3·0.9 + 1·0.3) / 4 = 0.75
    np.testing.assert_allclose(
        ensemble.predict_proba(["x", "y"]), [[0.25, 0.75], [0.25, 0.75]]
    )
    np.testing.assert_allclose(
        ensemble.combine({"a": np.array([1.0, 0.0]), "b": np.array([0.0, 0.0])}),
        [0.75, 0.0],
    )
    assert list(ensemble.predict(["x"])) == ["pos"]


def test_ensemble_weights_equal_by_default_and_are_checked() -> None:
    members = {"a": ConstantModel(0.8), "b": ConstantModel(0.4)}
    np.testing.assert_allclose(
        SoftVotingEnsemble(members).fit().predict_proba(["x"])[:, 1], [0.6]
    )
    with pytest.raises(ConfigError, match="'c'"):
        SoftVotingEnsemble(members, weights={"c": 1.0}).fit()


def test_router_uses_given_languages_and_detects_the_rest(caplog) -> None:
    en, es = ConstantModel(0.8), ConstantModel(0.2)
    router = LanguageRouter({"en": en, "es": es}, fallback="en").fit()
    texts = [
        "anything at all",
        "La película es muy buena y la historia también",
        "The movie was great and the plot was good",
        "ok",
    ]
    langs = ["es", None, "unknown", "fr"]
    assert router.route(texts, langs).tolist() == ["es", "es", "en", "en"]
    prob = router.predict_proba(texts, langs)
    np.testing.assert_allclose(prob[:, 1], [0.2, 0.2, 0.8, 0.8])
    assert "1 of 4 texts are in no supported language" in caplog.text


def test_router_without_fallback_names_the_row() -> None:
    with pytest.raises(DataError) as caught:
        route_languages(["the film was good", "??"], None, ["en", "es"], fallback=None)
    assert caught.value.row == 1
    assert caught.value.field == "lang"


def test_router_checks_its_configuration() -> None:
    with pytest.raises(ConfigError, match="fallback"):
        LanguageRouter({"en": ConstantModel(0.5)}, fallback="es").fit()
