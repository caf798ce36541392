"""Render the NLP comparison report: Markdown for people, a figure, flat metrics for MLflow.

The report itself (a JSON-ready dict) is assembled by the nlp pipeline from
:mod:`movia.analysis.nlp_comparison`, the parser evaluation and the Word2Vec checks; this
module only presents it, so the Markdown and the figure can never disagree with the JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LANG_NAMES = {"en": "English", "es": "Spanish"}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _tokens(tokens: list[str]) -> str:
    return " · ".join(f"`{t}`" for t in tokens) or "–"


def _language_section(lang: str, part: dict) -> list[str]:
    speed, vocab, stop = part["speed"], part["vocabulary"], part["stop_words"]
    lines = [
        f"### {LANG_NAMES.get(lang, lang)} ({part['reviews']} reviews,"
        f" spaCy `{part['spacy_pipeline']}`)",
        "",
        _row("measure", "NLTK", "spaCy"),
        _row("---", "---:", "---:"),
        _row(
            "tokens/s, tokenize only (one core)",
            f"{speed['nltk_tokenize_tokens_per_second']:,.0f}",
            "",
        ),
        _row(
            "tokens/s, full processing (one core)",
            f"{speed['nltk_full_tokens_per_second']:,.0f}",
            f"{speed['spacy_tokens_per_second']:,.0f}",
        ),
        _row(
            "tokens in sample",
            f"{speed['nltk_tokens']:,}",
            f"{speed['spacy_tokens']:,}",
        ),
        _row(
            "distinct content words",
            f"{vocab['nltk_content_words']:,}",
            f"{vocab['spacy_content_words']:,}",
        ),
        _row(
            "vocabulary after normalisation (stems / lemmas)",
            f"{vocab['nltk_stems']:,}",
            f"{vocab['spacy_lemmas']:,}",
        ),
        _row("stop words (as shipped)", stop["nltk_size"], stop["spacy_size"]),
        "",
        f"Token-boundary agreement (span F1): **{_pct(part['boundary_f1'])} %**. Stop-word"
        f" lists share {stop['shared']} words; only NLTK: {stop['only_nltk']}"
        f" (e.g. {', '.join(stop['only_nltk_examples'][:8])}); only spaCy: {stop['only_spacy']}"
        f" (e.g. {', '.join(stop['only_spacy_examples'][:8])}). Negations in the lists:"
        f" NLTK {stop['negations_in_nltk']}, spaCy {stop['negations_in_spacy']} (we keep"
        " them as content words).",
        "",
        "Stems vs lemmas on frequent words of the sample:",
        "",
    ]
    has_porter = any("porter" in row for row in part["stems_vs_lemmas"])
    header = (
        ["word", "count", "Snowball"]
        + (["Porter"] if has_porter else [])
        + ["spaCy lemma"]
    )
    lines += [_row(*header), _row(*["---"] * len(header))]
    for row in part["stems_vs_lemmas"]:
        cells = [f"`{row['word']}`", row["count"], f"`{row['snowball']}`"]
        if has_porter:
            cells.append(f"`{row.get('porter', '')}`")
        lines.append(_row(*cells, f"`{row['spacy_lemma']}`"))
    if part["over_stemmed"]:
        lines += ["", "Stems that merge words spaCy keeps apart (over-stemming):", ""]
        lines += [
            f"- `{row['stem']}` ← {', '.join(row['spacy_lemmas'])}"
            for row in part["over_stemmed"]
        ]
    lines += ["", "Where the tokenizers disagree (real reviews):", ""]
    for case in part["boundary_disagreements"]:
        lines.append(
            f"- …{case['context']!r}…: NLTK {_tokens(case['nltk'])}; spaCy {_tokens(case['spacy'])}"
        )
    lines += ["", "Probe sentences:", ""]
    for probe in part["probes"]:
        lines.append(f"- {probe['text']!r}")
        lines.append(f"  - NLTK: {_tokens(probe['nltk'])}")
        lines.append(f"  - spaCy: {_tokens(probe['spacy'])}")
        lines.append(f"  - NLTK stems: {_tokens(probe['nltk_stems'])}")
        lines.append(f"  - spaCy lemmas: {_tokens(probe['spacy_lemmas'])}")
    return [*lines, ""]


def _parser_section(parser: dict) -> list[str]:
    meta = parser.get("meta", {})
    lines = [
        f"## Spanish parser on Universal Dependencies (`{parser['pipeline']}`)",
        "",
        "Gold tokenisation; punctuation excluded from UAS/LAS as in spaCy's scorer."
        " `LAS base` compares relations without subtypes (`nsubj:pass` = `nsubj`).",
        "",
        _row(
            "treebank",
            "sentences",
            "words",
            "UPOS %",
            "UAS %",
            "LAS %",
            "LAS base %",
            "words/s",
        ),
        _row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---:"),
    ]
    for name, s in parser["treebanks"].items():
        lines.append(
            _row(
                name,
                s["sentences"],
                f"{s['words']:,}",
                _pct(s["upos"]),
                _pct(s["uas"]),
                _pct(s["las"]),
                _pct(s["las_base"]),
                f"{s['words_per_second']:,.0f}",
            )
        )
    if meta:
        lines.append(
            _row(
                f"model's meta.json ({', '.join(s for s in meta.get('sources', []) if s)})",
                "",
                "",
                _pct(meta.get("pos_acc")),
                _pct(meta.get("dep_uas")),
                _pct(meta.get("dep_las")),
                "",
                f"{meta.get('speed', 0):,.0f}",
            )
        )
    return [*lines, "", *[f"- {note}" for note in parser.get("notes", [])], ""]


def _word2vec_section(w2v: dict) -> list[str]:
    genre = w2v["genre_overlap"]
    lines = [
        "## Word2Vec",
        "",
        f"Vocabulary {w2v['vocabulary']:,} words from {w2v['documents']:,} documents"
        f" ({w2v['epochs']} epochs; loss per epoch {', '.join(f'{x:,.0f}' for x in w2v['loss'])}).",
        "",
    ]
    if "lift" in genre:
        lines.append(
            f"Genre overlap (Jaccard) of each movie's {genre['k']} nearest neighbours:"
            f" **{genre['neighbours_jaccard']:.3f}** vs random {genre['random_jaccard']:.3f}"
            f" (lift {genre['lift']:.2f}, needed {genre['min_lift']}): "
            f"**{'passed' if genre['passed'] else 'FAILED'}** over {genre['movies']:,} movies."
            f" Sharing at least one genre: {_pct(genre['neighbours_share_any'])} % vs"
            f" {_pct(genre['random_share_any'])} %."
        )
    else:
        lines.append(f"Genre overlap not computed: {genre.get('reason')}.")
    lines += [
        "",
        _row("lang", "word", "similar", "cos", "dissimilar", "cos", "result"),
        _row(*["---"] * 7),
    ]
    for p in w2v["probes"]:
        result = (
            "out of vocabulary: " + ", ".join(p["missing"])
            if p["passed"] is None
            else ("passed" if p["passed"] else "FAILED")
        )
        lines.append(
            _row(
                p["lang"],
                p["word"],
                p["similar"],
                f"{p.get('similar_cosine', float('nan')):.2f}",
                p["dissimilar"],
                f"{p.get('dissimilar_cosine', float('nan')):.2f}",
                result,
            )
        )
    return [*lines, ""]


def render_markdown(report: dict) -> str:
    """The report as Markdown (MyST-compatible), with every figure taken from ``report``."""
    lines = [
        "# NLTK vs spaCy on MovIA reviews",
        "",
        f"Generated {report['generated_at']}; load average at start {report['load_average']}.",
    ]
    if report.get("degraded"):
        lines += ["", f"**Degraded run:** {'; '.join(report['degraded_reasons'])}."]
    lines += ["", "## Tokenisation, normalisation and speed", ""]
    for lang, part in report["languages"].items():
        lines += _language_section(lang, part)
    lines += _parser_section(report["spanish_parser"])
    opinions = report["opinions"]
    lines += [
        "## Opinion pairs",
        "",
        f"{opinions['pairs']:,} distinct (movie, aspect, opinion) pairs over"
        f" {opinions['movies']:,} movies; by method: {opinions['methods']}."
        f" Most frequent: {', '.join(opinions['top'])}.",
        "",
    ]
    lines += _word2vec_section(report["word2vec"])
    failures = report["failures"]
    lines += [
        "## Reviews that could not be processed",
        "",
        f"NLTK: {len(failures['nltk'])}; spaCy: {len(failures['spacy'])};"
        f" truncated for spaCy: {failures['spacy_truncated']}.",
        *[f"- `{f['item_id']}`: {f['error']}" for f in failures["nltk"][:10]],
        *[f"- `{f['item_id']}`: {f['error']}" for f in failures["spacy"][:10]],
    ]
    return "\n".join(lines) + "\n"


def plot_comparison(report: dict) -> Figure:
    """Three panels: tokens/s per toolkit and language, boundary F1, UD scores vs meta.json."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(13, 4.2), layout="constrained")
    speed_ax, f1_ax, ud_ax = figure.subplots(1, 3)
    langs = list(report["languages"])
    width = 0.38
    for offset, (key, label) in enumerate(
        [("nltk_full_tokens_per_second", "NLTK"), ("spacy_tokens_per_second", "spaCy")]
    ):
        values = [report["languages"][lang]["speed"][key] for lang in langs]
        speed_ax.bar(
            [i + offset * width for i in range(len(langs))], values, width, label=label
        )
    speed_ax.set_xticks(
        [i + width / 2 for i in range(len(langs))], [LANG_NAMES[x] for x in langs]
    )
    speed_ax.set_yscale("log")
    speed_ax.set_ylabel("tokens per CPU second (log)")
    speed_ax.set_title("Full processing speed, one core")
    speed_ax.legend()
    f1s = [100 * report["languages"][lang]["boundary_f1"] for lang in langs]
    f1_ax.bar([LANG_NAMES[x] for x in langs], f1s, color="tab:green")
    f1_ax.set_ylim(min(f1s + [90]) - 5, 100)
    f1_ax.set_ylabel("span F1 (%)")
    f1_ax.set_title("NLTK–spaCy token-boundary agreement")
    parser = report["spanish_parser"]
    names = list(parser["treebanks"])
    metrics = [("upos", "UPOS"), ("uas", "UAS"), ("las_base", "LAS base")]
    bar = 0.8 / len(metrics)
    for k, (key, label) in enumerate(metrics):
        ud_ax.bar(
            [i + k * bar for i in range(len(names))],
            [100 * parser["treebanks"][n][key] for n in names],
            bar,
            label=label,
        )
    meta = parser.get("meta", {})
    for key, style in (("pos_acc", ":"), ("dep_uas", "--")):
        if key in meta:
            ud_ax.axhline(100 * meta[key], linestyle=style, color="grey", linewidth=1)
    ud_ax.set_xticks([i + bar for i in range(len(names))], names, rotation=15)
    ud_ax.set_ylim(40, 100)
    ud_ax.set_ylabel("%")
    ud_ax.set_title("Spanish parser on UD\n(grey lines: meta.json UPOS / UAS, AnCora)")
    ud_ax.legend(fontsize=8, loc="lower left")
    return figure


def report_metrics(report: dict) -> dict[str, dict[str, float]]:
    """Flat numeric figures for MLflow (``{name: {"value": v, "step": 0}}``)."""
    values: dict[str, float] = {}
    for lang, part in report["languages"].items():
        values[f"{lang}.nltk_tokens_per_second"] = part["speed"][
            "nltk_full_tokens_per_second"
        ]
        values[f"{lang}.spacy_tokens_per_second"] = part["speed"][
            "spacy_tokens_per_second"
        ]
        values[f"{lang}.boundary_f1"] = part["boundary_f1"]
    for name, scores in report["spanish_parser"]["treebanks"].items():
        for key in ("upos", "uas", "las", "las_base"):
            values[f"ud.{name}.{key}"] = scores[key]
    genre = report["word2vec"]["genre_overlap"]
    if "lift" in genre:
        values["word2vec.genre_lift"] = genre["lift"]
        values["word2vec.neighbours_jaccard"] = genre["neighbours_jaccard"]
    values["opinion_pairs"] = report["opinions"]["pairs"]
    return {name: {"value": float(v), "step": 0} for name, v in values.items()}
