"""Metrics for generated text (Texygen protocol): BLEU, self-BLEU, distinct-n, NLL, label control.

Texygen (Zhu et al., 2018) scores each generated sentence with NLTK's ``sentence_bleu`` against
the *whole* test set as references (smoothing method 1, uniform weights ``1/n`` for BLEU-n) and
averages; self-BLEU does the same with every other generated sentence as references. NLTK
recomputes every reference's n-gram counts for every hypothesis, O(hypotheses x references),
which takes tens of minutes for a thousand samples against a few thousand references. The
result only depends on, per n-gram, the largest count in any reference (clipping) and on the
reference lengths (brevity penalty), so :class:`ReferenceSet` pre-computes those once and gives
NLTK's numbers (tested against NLTK) in milliseconds. Self-BLEU needs "every reference but
myself": the set keeps the two largest counts per n-gram and the length multiset for that.

Texts are compared as lower-cased word tokens (:func:`word_tokens`, a regular expression in the
spirit of NLTK's Treebank tokenizer, so no tokenizer data must be installed).
"""

from __future__ import annotations

import bisect
import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from movia.errors import ColumnContractError, ConfigError

EPSILON = 0.1  # NLTK SmoothingFunction().method1 default
BLEU_ORDERS = (2, 3, 4, 5)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]", re.IGNORECASE)


def word_tokens(text: str) -> list[str]:
    """Lower-case words (with their clitic, "it's" -> "it's") and single punctuation marks."""
    return _TOKEN.findall(text.lower())


def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


class ReferenceSet:
    """Pre-computed clipping counts and lengths of a set of tokenised references.

    Args:
        references: Token lists (see :func:`word_tokens`).
        max_order: Largest n-gram order needed.
    """

    def __init__(self, references: Sequence[Sequence[str]], max_order: int = 5) -> None:
        if not references:
            raise ConfigError("references", "[]", ["at least one reference"])
        self.max_order = max_order
        # per order: ngram -> [largest count, how many references have it, second largest]
        self._top: list[dict[tuple[str, ...], list[int]]] = []
        for n in range(1, max_order + 1):
            top: dict[tuple[str, ...], list[int]] = {}
            for reference in references:
                for gram, count in _ngrams(reference, n).items():
                    entry = top.setdefault(gram, [0, 0, 0])
                    if count > entry[0]:
                        entry[:] = [count, 1, entry[0]]
                    elif count == entry[0]:
                        entry[1] += 1
                    elif count > entry[2]:
                        entry[2] = count
            self._top.append(top)
        self._length_counts = Counter(len(r) for r in references)
        self._lengths = sorted(self._length_counts)

    def _max_count(self, gram: tuple[str, ...], own: Counter | None) -> int:
        entry = self._top[len(gram) - 1].get(gram)
        if entry is None:
            return 0
        largest, holders, second = entry
        if own is not None and own[gram] == largest and holders == 1:
            return second  # the hypothesis itself was the only reference at the maximum
        return largest

    def _closest_length(self, length: int, exclude: int | None) -> int:
        """NLTK's closest reference length (ties go to the shorter), maybe leaving one out."""
        lengths = self._lengths
        if exclude is not None and self._length_counts[exclude] == 1:
            lengths = [value for value in lengths if value != exclude]
            if not lengths:
                raise ConfigError("references", "one", ["at least two for self-BLEU"])
        i = bisect.bisect_left(lengths, length)
        candidates = lengths[max(0, i - 1) : i + 1]
        return min(candidates, key=lambda value: (abs(value - length), value))

    def precisions(
        self, hypothesis: Sequence[str], *, leave_out: bool = False
    ) -> tuple[list[tuple[int, int]], int]:
        """Clipped matches and totals per order, and the closest reference length.

        Args:
            hypothesis: Tokens of one generated text.
            leave_out: The hypothesis is itself one of the references (self-BLEU): ignore it.
        """
        result = []
        for n in range(1, self.max_order + 1):
            counts = _ngrams(hypothesis, n)
            own = counts if leave_out else None
            matches = sum(
                min(count, self._max_count(gram, own)) for gram, count in counts.items()
            )
            result.append((matches, max(1, sum(counts.values()))))
        exclude = len(hypothesis) if leave_out else None
        return result, self._closest_length(len(hypothesis), exclude)


def bleu_from_precisions(
    precisions: Sequence[tuple[int, int]],
    reference_length: int,
    hypothesis_length: int,
    order: int,
) -> float:
    """NLTK's ``sentence_bleu`` with uniform weights ``1/order`` and smoothing method 1."""
    if precisions[0][0] == 0:
        return 0.0  # NLTK: no unigram match at all means BLEU 0, whatever the smoothing
    log_sum = 0.0
    for matches, total in precisions[:order]:
        value = matches / total if matches else EPSILON / total
        log_sum += math.log(value) / order
    if hypothesis_length > reference_length:
        penalty = 1.0
    else:
        penalty = math.exp(1 - reference_length / hypothesis_length)
    return penalty * math.exp(log_sum)


def _sentence_bleus(
    hypotheses: Sequence[Sequence[str]],
    references: ReferenceSet,
    orders: Sequence[int],
    leave_out: bool,
) -> dict[int, np.ndarray]:
    """Sentence BLEU-n of every hypothesis, per order."""
    scores = {order: np.zeros(len(hypotheses)) for order in orders}
    for i, hypothesis in enumerate(hypotheses):
        precisions, reference_length = references.precisions(
            hypothesis, leave_out=leave_out
        )
        for order in orders:
            scores[order][i] = bleu_from_precisions(
                precisions, reference_length, len(hypothesis), order
            )
    return scores


def _mean_bleu(
    hypotheses: Sequence[Sequence[str]],
    references: ReferenceSet,
    orders: Sequence[int],
    leave_out: bool,
) -> dict[int, float]:
    scores = _sentence_bleus(hypotheses, references, orders, leave_out)
    return {order: float(values.mean()) for order, values in scores.items()}


def _check_orders(orders: Sequence[int]) -> None:
    if not orders or min(orders) < 1:
        raise ConfigError("orders", list(orders), ["positive n-gram orders"])


def bleu(
    hypotheses: Sequence[str],
    references: Sequence[str] | ReferenceSet,
    orders: Sequence[int] = BLEU_ORDERS,
) -> dict[int, float]:
    """Mean sentence BLEU-n of ``hypotheses`` against all ``references`` (Texygen's BLEU).

    Args:
        hypotheses: Generated texts.
        references: Held-out real texts, or a :class:`ReferenceSet` built from them once.
        orders: BLEU orders to report.

    Returns:
        ``{n: BLEU-n}``.

    Raises:
        ConfigError: No hypotheses, no references or bad orders.
    """
    _check_orders(orders)
    if not hypotheses:
        raise ConfigError("hypotheses", "[]", ["at least one generated text"])
    if not isinstance(references, ReferenceSet):
        references = ReferenceSet([word_tokens(t) for t in references], max(orders))
    return _mean_bleu([word_tokens(t) for t in hypotheses], references, orders, False)


def self_bleu(
    texts: Sequence[str], orders: Sequence[int] = BLEU_ORDERS
) -> dict[int, float]:
    """Mean BLEU-n of each text against all the *other* texts (Texygen's self-BLEU).

    High self-BLEU means the samples repeat each other: a diversity measure, lower is better.

    Raises:
        ConfigError: Fewer than two texts or bad orders.
    """
    _check_orders(orders)
    if len(texts) < 2:
        raise ConfigError("texts", len(texts), ["at least two texts for self-BLEU"])
    tokens = [word_tokens(t) for t in texts]
    return _mean_bleu(tokens, ReferenceSet(tokens, max(orders)), orders, True)


def distinct_n(texts: Sequence[str], n: int) -> float:
    """Distinct n-grams over all n-grams of all texts (Li et al., 2016); 0 when there are none."""
    counts = Counter()
    for text in texts:
        counts.update(_ngrams(word_tokens(text), n))
    total = sum(counts.values())
    return len(counts) / total if total else 0.0


def token_nll(sequence_nll: Sequence[float], token_counts: Sequence[int]) -> float:
    """Mean negative log-likelihood per token (nats) over sequences: total NLL / total tokens.

    Raises:
        ConfigError: The inputs differ in length or count no tokens.
    """
    nll, counts = np.asarray(sequence_nll, float), np.asarray(token_counts, float)
    if nll.shape != counts.shape or counts.sum() <= 0:
        raise ConfigError("token_counts", counts.sum(), ["as many as NLLs, total > 0"])
    return float(nll.sum() / counts.sum())


class ProbabilisticClassifier(Protocol):
    """What label control needs from a sentiment model (the sentiment pipeline's contract)."""

    classes_: Sequence[str]

    def predict_proba(self, texts: list[str]) -> np.ndarray: ...


def label_control(
    classifier: ProbabilisticClassifier,
    texts: Sequence[str],
    requested: Sequence[str],
) -> tuple[float, np.ndarray]:
    """Share of texts the classifier assigns to the requested label, and each text's score.

    Args:
        classifier: Anything with ``predict_proba(texts)`` and ``classes_``.
        texts: Generated texts.
        requested: The label each text was asked to express (one of ``classes_``).

    Returns:
        The accuracy and, per text, the probability of its requested label.

    Raises:
        ColumnContractError: A requested label is not among the classifier's classes, or the
            classifier returns the wrong shape.
    """
    classes = [str(c) for c in classifier.classes_]
    unknown = sorted(set(requested) - set(classes))
    if unknown:
        raise ColumnContractError(
            f"requested labels {unknown} are not classifier classes {classes}",
            field="sentiment",
        )
    if len(texts) != len(requested):
        raise ColumnContractError(
            f"{len(texts)} texts but {len(requested)} requested labels",
            field="sentiment",
        )
    probabilities = np.asarray(classifier.predict_proba(list(texts)))
    if probabilities.shape != (len(texts), len(classes)):
        raise ColumnContractError(
            f"predict_proba returned shape {probabilities.shape}, expected "
            f"{(len(texts), len(classes))}",
            field="predict_proba",
        )
    columns = np.array([classes.index(label) for label in requested])
    scores = probabilities[np.arange(len(texts)), columns]
    predicted = probabilities.argmax(axis=1)
    return float((predicted == columns).mean()), scores


def text_quality(
    texts: Sequence[str],
    references: ReferenceSet,
    orders: Sequence[int] = BLEU_ORDERS,
) -> dict[str, float]:
    """BLEU-n against the references, self-BLEU-n, distinct-1/2 and mean length of ``texts``.

    Returns:
        ``bleu_<n>`` with its standard error ``bleu_<n>_se`` (over the texts: how much the
        mean would move with another draw of the same size), ``self_bleu_<n>`` for each
        order, ``distinct_1``, ``distinct_2`` and ``mean_words``.
    """
    _check_orders(orders)
    if len(texts) < 2:
        raise ConfigError("texts", len(texts), ["at least two texts"])
    tokens = [word_tokens(t) for t in texts]
    quality: dict[str, float] = {}
    for order, values in _sentence_bleus(tokens, references, orders, False).items():
        quality[f"bleu_{order}"] = float(values.mean())
        quality[f"bleu_{order}_se"] = float(values.std(ddof=1) / math.sqrt(len(values)))
    quality |= {f"self_bleu_{n}": v for n, v in self_bleu(texts, orders).items()}
    quality["distinct_1"] = distinct_n(texts, 1)
    quality["distinct_2"] = distinct_n(texts, 2)
    quality["mean_words"] = float(np.mean([len(t) for t in tokens]))
    return quality


def margin_over_curve(
    point: tuple[float, float], curve: Sequence[tuple[float, float]]
) -> float | None:
    """How far ``(self_bleu, bleu)`` lies above a quality-diversity curve, in BLEU.

    The curve (e.g. MLE across temperatures) is interpolated linearly in self-BLEU. A point
    more diverse than every curve point (lower self-BLEU) is compared with the most diverse
    one: lowering the temperature only moves MLE the other way, so beating that point means
    higher BLEU at lower self-BLEU than anything on the curve. A point less diverse than every
    curve point cannot be placed fairly and gives None.

    Returns:
        ``bleu - curve_bleu(self_bleu)`` (positive: the point dominates the curve), or None.

    Raises:
        ConfigError: An empty curve.
    """
    if not curve:
        raise ConfigError("curve", "[]", ["at least one (self_bleu, bleu) point"])
    diversity, quality = point
    ordered = sorted(curve)
    if diversity < ordered[0][0]:
        return quality - ordered[0][1]
    if diversity > ordered[-1][0]:
        return None
    xs = [x for x, _ in ordered]
    ys = [y for _, y in ordered]
    return quality - float(np.interp(diversity, xs, ys))


class TextGenerator(Protocol):
    """What a temperature sweep needs from a generator (``ReviewGenerator`` has it)."""

    def generate(
        self,
        sentiments: Sequence[str],
        genres: Sequence[Any] | None = None,
        *,
        temperature: float = 1.0,
        random_state: int | None = None,
    ) -> list[str]: ...


def sweep_temperatures(
    generator: TextGenerator,
    *,
    sentiments: Sequence[str],
    genres: Sequence[Any] | None,
    temperatures: Sequence[float],
    references: ReferenceSet,
    classifier: ProbabilisticClassifier,
    orders: Sequence[int] = BLEU_ORDERS,
    random_state: int = 0,
) -> list[dict[str, Any]]:
    """Sample one text per condition at each temperature and score every batch.

    Each temperature uses the same seed, so the curve moves with the temperature alone.

    Returns:
        One row per temperature: ``temperature``, the :func:`text_quality` fields,
        ``label_control``, ``mean_requested_score`` (classifier probability of the requested
        label), ``reviews_per_second`` (sampling and decoding wall time), ``n_samples`` and
        ``texts`` and ``scores`` (the samples and their scores, for reports).

    Raises:
        ConfigError: No temperatures.
    """
    if not temperatures:
        raise ConfigError("temperatures", "[]", ["at least one temperature > 0"])
    rows = []
    for temperature in temperatures:
        started = time.perf_counter()
        texts = generator.generate(
            sentiments, genres, temperature=temperature, random_state=random_state
        )
        seconds = time.perf_counter() - started
        accuracy, scores = label_control(classifier, texts, sentiments)
        rows.append(
            {
                "temperature": float(temperature),
                **text_quality(texts, references, orders),
                "label_control": accuracy,
                "mean_requested_score": float(scores.mean()),
                "reviews_per_second": len(texts) / max(seconds, 1e-9),
                "n_samples": len(texts),
                "texts": texts,
                "scores": scores.tolist(),
            }
        )
    return rows


class EvaluableGenerator(TextGenerator, Protocol):
    """A generator that can also score held-out text (for test NLL) and says its cost."""

    fit_seconds_: float
    n_train_: int

    def sequence_nll(
        self,
        texts: Sequence[str],
        sentiments: Sequence[str],
        genres: Sequence[Any] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]: ...


def compare_generators(
    generators: dict[str, EvaluableGenerator],
    *,
    held_out: tuple[list[str], list[str], list[Any]],
    references: Sequence[str],
    test: tuple[list[str], list[str], list[Any]],
    classifier: ProbabilisticClassifier,
    temperatures: Sequence[float],
    orders: Sequence[int] = BLEU_ORDERS,
    samples_shown: int = 3,
    random_state: int = 0,
) -> dict[str, Any]:
    """Score every generator at every temperature against the same references and classifier.

    The generators write one text for each held-out condition (sentiment and genres); the
    held-out *real* texts are scored the same way, as the ``real`` operating point, so the
    figure shows where the data itself lies.

    Args:
        generators: Name -> fitted generator (e.g. ``mle``, ``gan``); ``mle`` is the curve
            the others are compared with.
        held_out: Real texts, their sentiments and genre lists (the conditions to write).
        references: Other real texts, the BLEU references.
        test: Texts, sentiments and genres on which test NLL is measured.
        classifier: Sentiment classifier for label control.
        temperatures: Sampling temperatures.
        orders: BLEU orders.
        samples_shown: Unselected samples kept per model, temperature and sentiment.
        random_state: Sampling seed.

    Returns:
        ``models`` (per generator: ``test_nll``, ``test_perplexity``, ``train_seconds``,
        ``n_train``), ``operating_points`` (one row per model and temperature, plus
        ``real``), ``gan_vs_mle`` (see :func:`curve_dominance`) and ``samples``.
    """
    reference_set = ReferenceSet([word_tokens(t) for t in references], max(orders))
    texts, sentiments, genres = held_out
    accuracy, scores = label_control(classifier, texts, sentiments)
    points: list[dict[str, Any]] = [
        {
            "model": "real",
            "temperature": None,
            **text_quality(texts, reference_set, orders),
            "label_control": accuracy,
            "mean_requested_score": float(scores.mean()),
            "n_samples": len(texts),
        }
    ]
    models: dict[str, Any] = {}
    samples: list[dict[str, Any]] = []
    for name, generator in generators.items():
        nll = token_nll(*generator.sequence_nll(*test))
        models[name] = {
            "test_nll": nll,
            "test_perplexity": float(np.exp(nll)),
            "train_seconds": float(generator.fit_seconds_),
            "n_train": int(generator.n_train_),
        }
        rows = sweep_temperatures(
            generator,
            sentiments=sentiments,
            genres=genres,
            temperatures=temperatures,
            references=reference_set,
            classifier=classifier,
            orders=orders,
            random_state=random_state,
        )
        for row in rows:
            generated, generated_scores = row.pop("texts"), row.pop("scores")
            points.append({"model": name, **row})
            samples.extend(
                {"model": name, "temperature": row["temperature"], **sample}
                for sample in _first_per_label(
                    generated, generated_scores, sentiments, samples_shown
                )
            )
    return {
        "models": models,
        "operating_points": points,
        "gan_vs_mle": curve_dominance(points, orders),
        "samples": samples,
    }


def _first_per_label(
    texts: list[str], scores: list[float], labels: Sequence[str], per_label: int
) -> list[dict[str, Any]]:
    """The first ``per_label`` samples of each label: unselected, so the report is honest."""
    shown: list[dict[str, Any]] = []
    for label in sorted(set(labels)):
        rows = [i for i, value in enumerate(labels) if value == label][:per_label]
        shown.extend(
            {"sentiment": label, "text": texts[i], "classifier_score": scores[i]}
            for i in rows
        )
    return shown


def curve_dominance(
    points: Sequence[dict[str, Any]],
    orders: Sequence[int],
    *,
    challenger: str = "gan",
    baseline: str = "mle",
) -> dict[str, dict[str, Any]]:
    """Per BLEU order, the challenger's point furthest above the baseline's curve.

    A margin only counts as dominance when it exceeds twice the challenger point's standard
    error (``bleu_<n>_se``, when the points carry one): two generators that barely differ
    otherwise "dominate" each other by sampling noise.

    Returns:
        ``{"bleu_<n>": {"dominates", "margin", "margin_se", "temperature"}}``: ``margin``
        is the BLEU gap to the baseline curve at the same self-BLEU (see
        :func:`margin_over_curve`), None when no challenger point can be placed against it.
    """
    result: dict[str, dict[str, Any]] = {}
    for order in orders:
        curve = [
            (p[f"self_bleu_{order}"], p[f"bleu_{order}"])
            for p in points
            if p["model"] == baseline
        ]
        best: dict[str, Any] = {
            "dominates": False,
            "margin": None,
            "margin_se": None,
            "temperature": None,
        }
        for point in (p for p in points if p["model"] == challenger):
            margin = margin_over_curve(
                (point[f"self_bleu_{order}"], point[f"bleu_{order}"]), curve
            )
            if margin is not None and (
                best["margin"] is None or margin > best["margin"]
            ):
                se = point.get(f"bleu_{order}_se", 0.0)
                best = {
                    "dominates": margin > 2 * se,
                    "margin": margin,
                    "margin_se": se,
                    "temperature": point["temperature"],
                }
        result[f"bleu_{order}"] = best
    return result
