from __future__ import annotations

import pytest

from movia.text.titles import display_title, split_title_year, title_key


@pytest.mark.parametrize(
    ("raw", "title", "year"),
    [
        ("Toy Story (1995)", "Toy Story", 1995),
        ("Babylon 5", "Babylon 5", None),
        ("Stranger Things (2016-)", "Stranger Things", 2016),
        ("Grumpier Old Men (1995) ", "Grumpier Old Men", 1995),
        ("Se7en (a.k.a. Seven) (1995)", "Se7en (a.k.a. Seven)", 1995),
    ],
)
def test_split_title_year(raw: str, title: str, year: int | None) -> None:
    assert split_title_year(raw) == (title, year)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Matrix, The", "The Matrix"),
        ("American President, The", "The American President"),
        (
            "City of Lost Children, The (Cité des enfants perdus, La)",
            "The City of Lost Children (Cité des enfants perdus, La)",
        ),
        ("Armée des ombres, L'", "L'Armée des ombres"),
        ("Toy Story", "Toy Story"),
    ],
)
def test_display_title(raw: str, shown: str) -> None:
    assert display_title(raw) == shown


def test_title_key_ignores_case_accents_and_punctuation() -> None:
    assert title_key("Amélie (Fabuleux destin d'Amélie Poulain, Le)") == (
        "amelie fabuleux destin d amelie poulain le"
    )
    assert title_key("The Matrix") == title_key("the  MATRIX!")
