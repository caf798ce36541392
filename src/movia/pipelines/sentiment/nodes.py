"""Nodes of the sentiment pipeline: split → train (4 models) → evaluate → score → aggregate → explain.

Thin by design: each node unpacks its parameter block and calls :mod:`movia.models.sentiment`,
:mod:`movia.evaluation.classification` or :mod:`movia.analysis`; nothing here imports Kedro or
touches a file. English models train on the official aclImdb train split and are evaluated on
its 25k test split; the Spanish model trains and is evaluated on Spanish reviews split without
leakage through ``origin_split`` (see :mod:`movia.models.sentiment.splits`).
"""

from __future__ import annotations

import logging

import pandas as pd
from matplotlib.figure import Figure

from movia.analysis.sentiment_evaluation import (
    add_ensemble_predictions,
    build_sentiment_metrics,
    mlflow_metrics,
    predict_test_set,
)
from movia.analysis.sentiment_explanations import (
    choose_examples,
    explain_examples,
    plot_explanation,
    render_explanations_html,
)
from movia.analysis.sentiment_plots import (
    plot_confusion_matrices,
    plot_reliability,
    plot_top_features,
)
from movia.errors import ConfigError
from movia.models.sentiment import (
    LanguageRouter,
    SoftVotingEnsemble,
    aggregate_movie_sentiment,
    make_sentiment_model,
)
from movia.models.sentiment.splits import (
    split_english_reviews,
    split_spanish_reviews,
    stratified_sample,
)

logger = logging.getLogger(__name__)

REVIEW_SENTIMENT_COLUMNS = [
    "review_id",
    "movie_id",
    "lang",
    "prob_pos",
    "label_pred",
    "model",
]
ENGLISH_TEST, SPANISH_TEST = "imdb_test", "es_test"
ENGLISH_MODELS = ("baseline", "tfidf_lr", "transformer")


def split_sentiment_reviews(
    reviews: pd.DataFrame, split: dict
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """English (official split) and Spanish (leakage-free) train and test reviews."""
    train_en, test_en = split_english_reviews(reviews)
    train_es, test_es = split_spanish_reviews(
        reviews,
        sfu_test_fraction=split["sfu_test_fraction"],
        random_state=split["random_state"],
    )
    return train_en, test_en, train_es, test_es


def train_sentiment_model(train: pd.DataFrame, model: dict) -> object:
    """Fit the model named in parameters (``kind``, ``params``) on ``text``/``label``.

    ``max_train_reviews`` (optional) trains on a seeded, class-balanced sample: how
    ``conf/base`` keeps the CPU transformer inside its time budget.
    """
    sample = stratified_sample(
        train, model.get("max_train_reviews"), model["params"].get("random_state", 42)
    )
    estimator = make_sentiment_model(model["kind"], **model["params"])
    estimator.fit(sample["text"].tolist(), sample["label"].tolist())
    logger.info(
        "trained %s on %d reviews in %.1f s",
        model["kind"],
        len(sample),
        estimator.fit_seconds_,
    )
    return estimator


def _ensemble(
    models: dict[str, object], members: dict[str, float]
) -> SoftVotingEnsemble:
    unknown = sorted(set(members) - set(models))
    if unknown:
        raise ConfigError("evaluation.ensemble.members", unknown, sorted(models))
    return SoftVotingEnsemble({m: models[m] for m in members}, weights=members).fit()


def predict_sentiment_test_sets(
    test_en: pd.DataFrame,
    test_es: pd.DataFrame,
    baseline: object,
    tfidf_lr: object,
    transformer: object,
    model_es: object,
    evaluation: dict,
) -> tuple[pd.DataFrame, dict]:
    """Each model's P(pos) on its test set, the ensemble's, and timing/training statistics.

    The transformer is scored on ``transformer_max_test_reviews`` test reviews (seeded,
    balanced; null = all 25k); the linear models always on the whole split.
    """
    linear = {"baseline": baseline, "tfidf_lr": tfidf_lr}
    predictions_en, speed_en = predict_test_set(linear, test_en, ENGLISH_TEST)
    sample = stratified_sample(
        test_en,
        evaluation.get("transformer_max_test_reviews"),
        evaluation["random_state"],
    )
    predictions_tr, speed_tr = predict_test_set(
        {"transformer": transformer}, sample, ENGLISH_TEST
    )
    predictions_es, speed_es = predict_test_set(
        {"model_es": model_es}, test_es, SPANISH_TEST
    )
    predictions = pd.concat(
        [predictions_en, predictions_tr, predictions_es], ignore_index=True
    )
    models = {"baseline": baseline, "tfidf_lr": tfidf_lr, "transformer": transformer}
    for name, members in (evaluation.get("ensembles") or {}).items():
        ensemble = _ensemble(models, members)
        predictions = add_ensemble_predictions(
            predictions, name, list(members), ensemble.combine
        )
    stats = {
        "throughput": {ENGLISH_TEST: speed_en | speed_tr, SPANISH_TEST: speed_es},
        "training": {
            name: {
                "train_seconds": round(float(model.fit_seconds_), 1),
                "train_reviews": int(model.n_train_),
                "validation_reviews": int(getattr(model, "n_validation_", 0)),
            }
            for name, model in (models | {"model_es": model_es}).items()
        },
    }
    return predictions, stats


def evaluate_sentiment(
    predictions: pd.DataFrame, model_stats: dict, evaluation: dict
) -> tuple[dict, dict, dict[str, Figure]]:
    """Metrics report (versioned JSON), the same headline numbers for MLflow, and figures."""
    metrics = build_sentiment_metrics(
        predictions,
        model_stats["throughput"],
        n_bins=evaluation["n_bins"],
        threshold=evaluation["threshold"],
    )
    metrics["training"] = model_stats["training"]
    flat = mlflow_metrics(metrics)
    for name, info in model_stats["training"].items():
        flat[f"{name}.train_seconds"] = {"value": info["train_seconds"], "step": 0}
    figures = {
        "reliability.png": plot_reliability(predictions, evaluation["n_bins"]),
        "confusion_matrices.png": plot_confusion_matrices(predictions),
    }
    for record in metrics["side_by_side"]:
        logger.info(
            "%s on %s (n=%d): accuracy %.4f, macro-F1 %.4f, ROC-AUC %s, ECE %.4f",
            record["model"],
            record["test_set"],
            record["n"],
            record["accuracy"],
            record["macro_f1"],
            f"{record['roc_auc']:.4f}" if record["roc_auc"] is not None else "n/a",
            record["ece"],
        )
    return metrics, flat, figures


def _english_scorer(
    models: dict[str, object], name: str, members: dict[str, float] | None
) -> object:
    if name == "ensemble":
        return _ensemble(models, members or {})
    if name not in models:
        raise ConfigError("scoring.model_en", name, [*models, "ensemble"])
    return models[name]


def score_reviews(
    reviews: pd.DataFrame,
    baseline: object,
    tfidf_lr: object,
    transformer: object,
    model_es: object,
    scoring: dict,
) -> pd.DataFrame:
    """P(pos) of every review (labelled and unlabelled, both languages) by its language's model.

    Returns:
        Columns ``review_id``, ``movie_id``, ``lang`` (the language scored in: the review's own
        field, or detected when it is missing), ``prob_pos``, ``label_pred`` and ``model``.
    """
    models = {"baseline": baseline, "tfidf_lr": tfidf_lr, "transformer": transformer}
    name_en = scoring["model_en"]
    english = _english_scorer(models, name_en, scoring.get("ensemble"))
    router = LanguageRouter(
        {"en": english, "es": model_es}, fallback=scoring["fallback_lang"]
    ).fit()
    texts = reviews["text"].tolist()
    routed = router.route(texts, reviews["lang"].tolist())
    prob_pos = router.predict_proba(texts, routed)[:, 1]
    names = {"en": f"{name_en}_en", "es": "model_es"}
    scored = pd.DataFrame(
        {
            "review_id": reviews["review_id"].to_numpy(),
            "movie_id": reviews["movie_id"].astype("Int64").to_numpy(),
            "lang": routed.astype(str),
            "prob_pos": prob_pos,
            "label_pred": pd.Series(prob_pos >= 0.5).map({True: "pos", False: "neg"}),
            "model": pd.Series(routed).map(names).to_numpy(),
        }
    )
    logger.info(
        "scored %d reviews (%s)",
        len(scored),
        ", ".join(f"{k}: {v}" for k, v in scored["model"].value_counts().items()),
    )
    return scored[REVIEW_SENTIMENT_COLUMNS]


def aggregate_sentiment_by_movie(
    review_sentiment: pd.DataFrame, aggregation: dict
) -> pd.DataFrame:
    """Per-movie sentiment (see :func:`movia.models.sentiment.aggregate_movie_sentiment`)."""
    return aggregate_movie_sentiment(
        review_sentiment,
        prior_strength=aggregation["prior_strength"],
        credible_level=aggregation["credible_level"],
    )


def explain_sentiment(
    predictions: pd.DataFrame,
    test_en: pd.DataFrame,
    test_es: pd.DataFrame,
    baseline: object,
    model_es: object,
    explanations: dict,
) -> tuple[str, dict[str, Figure], dict]:
    """LIME/SHAP report of a fixed sample (HTML + PNGs) and the linear models' top n-grams.

    The explained models are the ones that score reviews by default: the English baseline
    and the Spanish model (LIME and SHAP need thousands of predictions per review, affordable
    for a linear model and not, on a CPU, for the transformer).
    """
    seed = explanations["random_state"]
    examples = pd.concat(
        [
            choose_examples(
                predictions,
                test,
                model,
                test_set,
                explanations["n_correct"],
                explanations["n_wrong"],
                explanations["max_chars"],
                seed,
            )
            for test, model, test_set in (
                (test_en, "baseline", ENGLISH_TEST),
                (test_es, "model_es", SPANISH_TEST),
            )
        ],
        ignore_index=True,
    )
    explained = explain_examples(
        examples,
        {"en": baseline, "es": model_es},
        lime_options=explanations["lime"],
        shap_options=explanations["shap"],
        random_state=seed,
    )
    report = render_explanations_html(
        explained, "Sentiment explanations: English baseline (NB-LR) and Spanish model"
    )
    figures = {f"{item['review_id']}.png": plot_explanation(item) for item in explained}
    top = {}
    for lang, model in (("en", baseline), ("es", model_es)):
        table = model.top_features(explanations["top_k"])
        top[lang] = table.to_dict(orient="records")
        figures[f"top_features_{lang}.png"] = plot_top_features(
            table, f"Top n-grams of the {lang} linear model"
        )
    return report, figures, top
