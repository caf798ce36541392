"""Spanish orthography: inverted marks, accents without touching ñ, clitic splitting."""

from __future__ import annotations

import pytest

from movia.text.spanish import (
    space_inverted_marks,
    spanish_verbs,
    split_clitics,
    strip_accents,
)

VERBS = frozenset({"ver", "hacer", "dar", "decir", "mirar", "oír", "contar", "enseñar"})


def test_inverted_marks_and_guillemets_are_detached() -> None:
    assert space_inverted_marks("¿Qué?¡Sí! «cine»").split() == [
        "¿",
        "Qué?",
        "¡",
        "Sí!",
        "«",
        "cine",
        "»",
    ]


def test_strip_accents_keeps_enye() -> None:
    assert strip_accents("Acción, pingüino, año, ÉL") == "Accion, pinguino, año, EL"


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("verla", ["ver", "la"]),  # infinitive + direct object
        ("hacerlo", ["hacer", "lo"]),
        ("dárselo", ["dar", "se", "lo"]),  # two clitics put an accent on the infinitive
        ("decírtelo", ["decir", "te", "lo"]),
        ("oírlo", ["oír", "lo"]),  # an accent of its own stays
        ("diciéndole", ["diciendo", "le"]),  # gerund: the accent is the signal
        ("dámelo", ["da", "me", "lo"]),  # imperative: accent + known verb (dar)
        ("mírala", ["mira", "la"]),
        ("enseñarle", ["enseñar", "le"]),  # ñ survives
        ("película", ["película"]),  # ends in -la, but "pelícu" is no verb
        ("charla", ["charla"]),  # "char" is no verb
        ("perla", ["perla"]),
        ("parte", ["parte"]),
        ("vela", ["vela"]),  # imperative without accent is ambiguous: left whole
        ("dígame", ["dígame"]),  # irregular stem: a known, accepted miss
        ("3d", ["3d"]),
    ],
)
def test_split_clitics(word: str, parts: list[str]) -> None:
    assert split_clitics(word, VERBS) == parts


def test_default_verb_list_comes_from_spacy_lookups_data() -> None:
    verbs = spanish_verbs()
    assert {"ver", "hacer", "decir", "charlar"} <= verbs
    assert "char" not in verbs and len(verbs) > 2000
    assert split_clitics("burlarse") == ["burlar", "se"]
