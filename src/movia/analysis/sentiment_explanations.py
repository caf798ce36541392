"""Local explanations (LIME, SHAP) of sentiment predictions for a fixed sample of test reviews.

Two methods, because they answer slightly different questions and disagree in instructive ways:
LIME fits a local linear model on random word deletions (which words, removed, change the
prediction most?), SHAP's partition explainer attributes the prediction to tokens through
Shapley values over a hierarchy of text spans (how much does each token add, given the others?).
The sample is seeded and mixes correct and wrong predictions in both languages, because
explanations of errors are where a reader learns what the model really relies on.

The report is one self-contained HTML page (no scripts, no CDN: it opens offline) with each
review's words coloured by their contribution, plus one PNG per review with both bar charts.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

logger = logging.getLogger(__name__)

_PIECES = re.compile(r"(\W+)", re.UNICODE)
_POS_RGB, _NEG_RGB = (42, 157, 143), (231, 111, 81)


def choose_examples(
    predictions: pd.DataFrame,
    texts: pd.DataFrame,
    model: str,
    test_set: str,
    n_correct: int,
    n_wrong: int,
    max_chars: int,
    random_state: int,
) -> pd.DataFrame:
    """A seeded sample of correctly and wrongly classified reviews of one model and test set.

    Reviews up to ``max_chars`` long are preferred (an explanation of a 5,000-character review
    is unreadable); if too few qualify, the shortest others fill in.

    Returns:
        Columns ``review_id``, ``test_set``, ``lang``, ``label``, ``prob_pos``, ``correct``,
        ``text``; correct examples first.
    """
    rows = predictions[
        (predictions["model"] == model) & (predictions["test_set"] == test_set)
    ].merge(texts[["review_id", "text"]], on="review_id", how="inner")
    rows = rows.assign(
        correct=(rows["prob_pos"] >= 0.5) == (rows["label"] == "pos"),
        length=rows["text"].str.len(),
    )
    chosen = []
    for correct, n in ((True, n_correct), (False, n_wrong)):
        pool = rows[rows["correct"] == correct]
        short = pool[pool["length"] <= max_chars]
        picked = short.sample(min(n, len(short)), random_state=random_state)
        if len(picked) < n:
            rest = pool.drop(index=picked.index).nsmallest(n - len(picked), "length")
            picked = pd.concat([picked, rest])
        chosen.append(picked)
    columns = ["review_id", "test_set", "lang", "label", "prob_pos", "correct", "text"]
    return pd.concat(chosen, ignore_index=True)[columns]


def lime_weights(
    predict_proba: Callable[[list[str]], np.ndarray],
    text: str,
    num_features: int,
    num_samples: int,
    random_state: int,
) -> list[tuple[str, float]]:
    """LIME's word weights toward ``"pos"`` (positive = pushes toward positive)."""
    from lime.lime_text import LimeTextExplainer

    explainer = LimeTextExplainer(
        class_names=["neg", "pos"], random_state=random_state, bow=True
    )
    explanation = explainer.explain_instance(
        text,
        lambda docs: predict_proba(list(docs)),
        labels=(1,),
        num_features=num_features,
        num_samples=num_samples,
    )
    return [(str(word), float(weight)) for word, weight in explanation.as_list(label=1)]


def shap_values(
    predict_pos: Callable[[list[str]], np.ndarray], text: str, max_evals: int
) -> tuple[list[str], np.ndarray, float]:
    """SHAP values of each text piece for P(pos), from the partition explainer.

    Returns:
        The pieces (each with its trailing separator, so ``"".join`` gives the text back), one
        value per piece, and the base value (P(pos) of the fully masked text).
    """
    import shap

    explainer = shap.Explainer(
        lambda docs: predict_pos([str(d) for d in docs]), shap.maskers.Text(r"\W+")
    )
    explanation = explainer([text], max_evals=max_evals, silent=True)
    return (
        [str(piece) for piece in explanation.data[0]],
        np.asarray(explanation.values[0], dtype=np.float64),
        float(np.ravel(explanation.base_values)[0]),
    )


def explain_examples(
    examples: pd.DataFrame,
    models: Mapping[str, object],
    lime_options: Mapping[str, int],
    shap_options: Mapping[str, int],
    random_state: int,
) -> list[dict]:
    """LIME and SHAP explanations of each example under the model of its language.

    Args:
        examples: As :func:`choose_examples` returns.
        models: Language code → fitted model with ``predict_proba(list[str])``.
        lime_options: ``num_features``, ``num_samples``.
        shap_options: ``max_evals``.
    """
    explained = []
    for row in examples.itertuples(index=False):
        model = models[row.lang]
        explained.append(
            {
                "review_id": row.review_id,
                "test_set": row.test_set,
                "lang": row.lang,
                "label": row.label,
                "prob_pos": float(row.prob_pos),
                "correct": bool(row.correct),
                "text": row.text,
                "lime": lime_weights(
                    model.predict_proba,
                    row.text,
                    random_state=random_state,
                    **lime_options,
                ),
                "shap": dict(
                    zip(
                        ("pieces", "values", "base_value"),
                        shap_values(
                            lambda docs, m=model: m.predict_proba(docs)[:, 1],
                            row.text,
                            **shap_options,
                        ),
                        strict=True,
                    )
                ),
            }
        )
        logger.info("explained %s (%s)", row.review_id, row.lang)
    return explained


def _span(piece: str, weight: float, scale: float) -> str:
    if not weight or not piece.strip():
        return html.escape(piece)
    rgb = _POS_RGB if weight > 0 else _NEG_RGB
    alpha = min(1.0, abs(weight) / scale) * 0.85
    return (
        f'<span style="background: rgba({rgb[0]},{rgb[1]},{rgb[2]},{alpha:.2f})" '
        f'title="{weight:+.4f}">{html.escape(piece)}</span>'
    )


def highlight(pieces: Sequence[str], weights: Sequence[float]) -> str:
    """HTML of the pieces, each coloured by its weight (green = toward pos, red = toward neg)."""
    scale = max((abs(w) for w in weights), default=0.0) or 1.0
    return "".join(_span(p, w, scale) for p, w in zip(pieces, weights, strict=True))


def _lime_pieces(
    text: str, weights: list[tuple[str, float]]
) -> tuple[list[str], list[float]]:
    by_word = dict(weights)
    pieces = [p for p in _PIECES.split(text) if p]
    return pieces, [by_word.get(p, 0.0) for p in pieces]


def render_explanations_html(explained: Sequence[dict], title: str) -> str:
    """One offline HTML page: per review, its label, prediction and both highlighted texts."""
    sections = []
    for item in explained:
        verdict = "correct" if item["correct"] else "WRONG"
        lime_rows = "".join(
            f"<tr><td>{html.escape(w)}</td><td>{v:+.4f}</td></tr>"
            for w, v in item["lime"]
        )
        shap_info = item["shap"]
        sections.append(
            f"""
<section>
  <h2>{html.escape(str(item["review_id"]))} · {item["lang"]} · label {item["label"]} ·
      P(pos) = {item["prob_pos"]:.3f} · <span class="{verdict.lower()}">{verdict}</span></h2>
  <h3>LIME (local linear model over word deletions)</h3>
  <p class="text">{highlight(*_lime_pieces(item["text"], item["lime"]))}</p>
  <table><tr><th>word</th><th>weight toward pos</th></tr>{lime_rows}</table>
  <h3>SHAP (partition explainer; base value {shap_info["base_value"]:.3f})</h3>
  <p class="text">{highlight(shap_info["pieces"], list(shap_info["values"]))}</p>
</section>"""
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.5; }}
.text {{ white-space: pre-wrap; border: 1px solid #ddd; padding: .75rem; }}
.wrong {{ color: #c0392b; }} .correct {{ color: #2a9d8f; }}
table {{ border-collapse: collapse; }} td, th {{ padding: 0 .75rem; text-align: left; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>Green pushes toward <b>pos</b>, red toward <b>neg</b>; colour strength is relative within
each text. Hover a word for its weight.</p>
{"".join(sections)}
</body></html>
"""


def plot_explanation(item: dict, k: int = 10) -> Figure:
    """LIME weights and the ``k`` largest SHAP token values of one review, side by side."""
    fig = Figure(figsize=(11, 4), layout="constrained")
    left, right = fig.subplots(1, 2)
    lime = sorted(item["lime"], key=lambda pair: abs(pair[1]))[-k:]
    shap_info = item["shap"]
    order = np.argsort(np.abs(shap_info["values"]))[-k:]
    for ax, words, values, name in (
        (left, [w for w, _ in lime], [v for _, v in lime], "LIME"),
        (
            right,
            [shap_info["pieces"][i].strip() or "␣" for i in order],
            [shap_info["values"][i] for i in order],
            "SHAP",
        ),
    ):
        colours = ["#2a9d8f" if v > 0 else "#e76f51" for v in values]
        ax.barh(np.arange(len(values)), values, color=colours)
        ax.set_yticks(np.arange(len(values)), labels=words)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel("contribution to P(pos)")
        ax.set_title(name)
    verdict = "correct" if item["correct"] else "wrong"
    fig.suptitle(
        f"{item['review_id']} ({item['lang']}, label {item['label']}, "
        f"P(pos) {item['prob_pos']:.2f}, {verdict})"
    )
    return fig
