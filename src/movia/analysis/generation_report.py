"""The generation report: Markdown tables, unselected samples and the quality-diversity figure.

The figure is the comparison Caccia et al. ("Language GANs Falling Short", ICLR 2020) ask for:
a GAN is only better than MLE if one of its points lies above the MLE temperature curve
(higher BLEU at equal or lower self-BLEU), not if it merely beats MLE at temperature 1. Both
curves, the real held-out text and the verdict are drawn from ``generation_metrics`` alone, so
any versioned run can be re-plotted.
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

_COLOURS = {"mle": "#264653", "gan": "#e76f51", "real": "#2a9d8f"}
_QUALITY_ORDERS = (4, 5)


def plot_quality_diversity(metrics: dict[str, Any]) -> Figure:
    """BLEU-n against self-BLEU-n (n = 4, 5) across temperatures, GAN and MLE, plus real text.

    Up is better quality, left is more diversity; each point is labelled with its
    temperature.
    """
    figure = Figure(figsize=(11, 4.5), layout="constrained")
    axes = figure.subplots(1, len(_QUALITY_ORDERS))
    points = metrics["operating_points"]
    for ax, order in zip(axes, _QUALITY_ORDERS, strict=True):
        for model in ("mle", "gan"):
            curve = sorted(
                (p for p in points if p["model"] == model),
                key=lambda p: p["temperature"],
            )
            if not curve:
                continue
            xs = [p[f"self_bleu_{order}"] for p in curve]
            ys = [p[f"bleu_{order}"] for p in curve]
            ax.plot(xs, ys, "o-", color=_COLOURS[model], label=model.upper())
            for p, x, y in zip(curve, xs, ys, strict=True):
                ax.annotate(
                    f"{p['temperature']:g}",
                    (x, y),
                    textcoords="offset points",
                    xytext=(4, 4),
                    fontsize=8,
                    color=_COLOURS[model],
                )
        for p in (p for p in points if p["model"] == "real"):
            ax.plot(
                p[f"self_bleu_{order}"],
                p[f"bleu_{order}"],
                "*",
                markersize=14,
                color=_COLOURS["real"],
                label="real held-out text",
            )
        verdict = metrics.get("gan_vs_mle", {}).get(f"bleu_{order}", {})
        margin = verdict.get("margin")
        ax.set_title(
            f"BLEU-{order} vs self-BLEU-{order}\n"
            + (
                "no GAN point placeable"
                if margin is None
                else f"best GAN margin {margin:+.3f} "
                f"({'dominates' if verdict['dominates'] else 'does not dominate'} MLE)"
            ),
            fontsize=10,
        )
        ax.set_xlabel(f"self-BLEU-{order} (lower = more diverse)")
        ax.set_ylabel(f"BLEU-{order} vs test set (higher = closer to real)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    n = next((p["n_samples"] for p in points if p["model"] != "real"), 0)
    figure.suptitle(
        f"Quality vs diversity across temperatures ({n} samples per point, "
        f"{metrics['corpus']['n_references']} references)"
    )
    return figure


def _table(rows: list[list[str]], header: list[str]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _operating_point_rows(
    points: list[dict[str, Any]], orders: list[int]
) -> list[list[str]]:
    rows = []
    for p in points:
        temperature = "—" if p["temperature"] is None else f"{p['temperature']:g}"
        rows.append(
            [
                p["model"],
                temperature,
                *(f"{p[f'bleu_{n}']:.3f}" for n in orders),
                *(f"{p[f'self_bleu_{n}']:.3f}" for n in orders),
                f"{p['distinct_1']:.3f}",
                f"{p['distinct_2']:.3f}",
                f"{100 * p['label_control']:.1f} %",
                f"{p['mean_words']:.1f}",
                "—"
                if "reviews_per_second" not in p
                else f"{p['reviews_per_second']:.0f}",
            ]
        )
    return rows


def build_generation_report(metrics: dict[str, Any]) -> str:
    """Markdown: models, every operating point, the GAN-vs-MLE verdict and raw samples."""
    orders = list(metrics["bleu_orders"])
    corpus = metrics["corpus"]
    lines = [
        "# Review generation report",
        "",
        "> Every text below marked as a sample is **machine-generated**, not a real review.",
        "",
        f"Training windows: {corpus['n_train']:,} labelled"
        f" + {corpus['n_unlabelled']:,} unlabelled; {corpus['n_held_out']:,} held-out real"
        f" windows give the conditions (and the `real` row); {corpus['n_references']:,}"
        " other test windows are the BLEU references.",
        "",
        "## Models",
        "",
    ]
    lines += _table(
        [
            [
                name,
                f"{m['test_nll']:.3f}",
                f"{m['test_perplexity']:.1f}",
                f"{m['train_seconds']:.0f}",
                f"{m['n_train']:,}",
            ]
            for name, m in metrics["models"].items()
        ],
        [
            "model",
            "test NLL (nats/token)",
            "perplexity",
            "train s (GAN incl. MLE)",
            "texts",
        ],
    )
    lines += ["", "## Operating points", ""]
    lines += _table(
        _operating_point_rows(metrics["operating_points"], orders),
        [
            "model",
            "T",
            *(f"BLEU-{n}" for n in orders),
            *(f"self-BLEU-{n}" for n in orders),
            "distinct-1",
            "distinct-2",
            "label control",
            "words",
            "reviews/s",
        ],
    )
    lines += [
        "",
        "## GAN vs MLE (Caccia et al.)",
        "",
        "A GAN point dominates when its BLEU exceeds the MLE temperature curve, interpolated"
        " at the same self-BLEU, by more than twice its standard error.",
        "",
    ]
    for key, verdict in metrics["gan_vs_mle"].items():
        order = key.split("_")[1]
        if verdict["margin"] is None:
            lines.append(
                f"- BLEU-{order}: every GAN point is less diverse than the whole MLE curve;"
                " it cannot be compared fairly."
            )
        else:
            verdict_words = (
                "it dominates" if verdict["dominates"] else "no GAN point dominates"
            )
            lines.append(
                f"- BLEU-{order}: the best GAN point (T = {verdict['temperature']:g}) lies "
                f"{verdict['margin']:+.4f} BLEU from the MLE curve at the same self-BLEU "
                f"(2 standard errors: {2 * (verdict.get('margin_se') or 0.0):.4f}) — "
                f"{verdict_words}."
            )
    lines += ["", "## Samples (first ones drawn, not selected)", ""]
    lines += _table(
        [
            [
                s["model"],
                f"{s['temperature']:g}",
                s["sentiment"],
                f"{s['classifier_score']:.2f}",
                s["text"].replace("|", "\\|"),
            ]
            for s in metrics["samples"]
        ],
        ["model", "T", "asked", "classifier P(asked)", "machine-generated text"],
    )
    return "\n".join(lines) + "\n"
