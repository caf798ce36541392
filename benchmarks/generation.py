"""Review generation: the GAN beside its MLE baseline, both swept over temperatures, one run.

Runs ``kedro run --pipeline generation --env full`` (the benchmark recipe; set
``MOVIA_BENCH_ENV=base`` for the default run), then reads that run's
``generation_metrics`` and times generation on the CPU with the saved generators. Label control
needs the sentiment pipeline's ``sentiment_baseline_model``: run the sentiment pipeline (or its
benchmark) first. Goals from the issue: label control >= 90 %, a GAN point above the MLE
quality-diversity curve (higher BLEU at equal or lower self-BLEU), >= 50 reviews/s on a CPU.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import time
from pathlib import Path

from benchmarks.measure import measure_command

ROOT = Path(__file__).resolve().parents[1]
GOALS = {"label_control": 0.9, "cpu_reviews_per_second": 50.0}
SPEED_SAMPLES = 1000


def _latest(dataset_folder: Path) -> Path:
    """The file of the newest version of a Kedro versioned dataset."""
    versions = sorted(p for p in dataset_folder.iterdir() if p.is_dir())
    if not versions:
        raise FileNotFoundError(f"no saved version under {dataset_folder}")
    return next(versions[-1].iterdir())


def cpu_reviews_per_second(generator_file: Path) -> float:
    """Reviews per second from a saved generator on the CPU (half per sentiment, T = 1)."""
    with generator_file.open("rb") as file:
        generator = pickle.load(file)
    generator.set_params(device="cpu")
    requests = ["neg", "pos"] * (SPEED_SAMPLES // 2)
    generator.generate(requests[:32])  # warm-up: first calls allocate
    started = time.perf_counter()
    generator.generate(requests, random_state=0)
    return SPEED_SAMPLES / (time.perf_counter() - started)


def run() -> dict:
    env = os.environ.get("MOVIA_BENCH_ENV", "full")
    kedro = str(Path(sys.executable).with_name("kedro"))
    command = [kedro, "run", "--pipeline", "generation"]
    if env != "base":  # base is the default run: no --env, like `kedro run`
        command += ["--env", env]
    pipeline = measure_command(command)
    metrics = json.loads(
        _latest(ROOT / "data/08_reporting/generation_metrics.json").read_text()
    )
    speeds = {
        name: round(
            cpu_reviews_per_second(
                _latest(ROOT / f"data/06_models/generator_{name}.pkl")
            ),
            1,
        )
        for name in ("mle", "gan")
    }
    points = metrics["operating_points"]
    generated = [p for p in points if p["model"] != "real"]
    best_control = max(p["label_control"] for p in generated)
    gan_control = max(p["label_control"] for p in generated if p["model"] == "gan")
    dominates = {k: v["dominates"] for k, v in metrics["gan_vs_mle"].items()}
    return {
        "dataset": "aclImdb English reviews cut to opinionated windows (10-40 words)",
        "config": f"conf/{env}",
        "goals": GOALS | {"gan_dominates_mle_curve": True},
        "pipeline": pipeline,
        "corpus": metrics["corpus"],
        "label_classifier": metrics.get("label_classifier"),
        "models": {
            name: model | {"cpu_reviews_per_second": speeds[name]}
            for name, model in metrics["models"].items()
        },
        "operating_points": points,
        "gan_vs_mle": metrics["gan_vs_mle"],
        "meets_goals": {
            "label_control_gan": gan_control >= GOALS["label_control"],
            "label_control_any": best_control >= GOALS["label_control"],
            "gan_dominates_mle_bleu_4_or_5": dominates.get("bleu_4", False)
            or dominates.get("bleu_5", False),
            "cpu_speed": min(speeds.values()) >= GOALS["cpu_reviews_per_second"],
        },
    }


def markdown(result: dict) -> str:
    models = result["models"]
    lines = [
        "# generation benchmark",
        "",
        f"{result['dataset']}, {result['config']}; "
        f"{result['machine']['cpu_count']} CPU cores; pipeline wall "
        f"{result['pipeline']['wall_seconds']} s, peak RSS "
        f"{result['pipeline']['peak_rss_mb']} MB. Label control by "
        f"`{result['label_classifier']}`.",
        "",
        "| model | test NLL | train s | CPU reviews/s |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {name} | {m['test_nll']:.3f} | {m['train_seconds']:.0f} "
        f"| {m['cpu_reviews_per_second']:.0f} |"
        for name, m in models.items()
    ]
    lines += [
        "",
        "| model | T | BLEU-2 | BLEU-3 | BLEU-4 | BLEU-5 | self-BLEU-2 | self-BLEU-3 "
        "| self-BLEU-4 | self-BLEU-5 | distinct-1 | distinct-2 | label control |",
        "|---|---|" + "---:|" * 11,
    ]
    for p in result["operating_points"]:
        temperature = "—" if p["temperature"] is None else f"{p['temperature']:g}"
        values = [p[f"bleu_{n}"] for n in (2, 3, 4, 5)]
        values += [p[f"self_bleu_{n}"] for n in (2, 3, 4, 5)]
        values += [p["distinct_1"], p["distinct_2"]]
        cells = " | ".join(f"{v:.3f}" for v in values)
        lines.append(
            f"| {p['model']} | {temperature} | {cells} | {100 * p['label_control']:.1f} % |"
        )
    lines += ["", "GAN vs the MLE curve (BLEU margin at equal self-BLEU):", ""]
    for key, verdict in result["gan_vs_mle"].items():
        margin = verdict["margin"]
        lines.append(
            f"- {key}: "
            + ("not placeable" if margin is None else f"{margin:+.4f}")
            + (" (dominates)" if verdict["dominates"] else "")
        )
    lines += [
        "",
        "Goals: "
        + ", ".join(
            f"{name} {'met' if met else 'NOT met'}"
            for name, met in result["meets_goals"].items()
        )
        + ".",
    ]
    return "\n".join(lines)
