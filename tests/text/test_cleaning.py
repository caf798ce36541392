from __future__ import annotations

import pytest

from movia.text.cleaning import clean_review_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Great film.<br /><br />Loved it", "Great film.\nLoved it"),
        ("Tom &amp; Jerry &#39;rocks&#39;", "Tom & Jerry 'rocks'"),
        ("<i>Spoiler</i> ahead", "Spoiler ahead"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
        ("  ¿Qué   tal?  ¡Genial!  ", "¿Qué tal? ¡Genial!"),
        ("e\u0301xito", "éxito"),  # combining accent folded into one code point (NFC)
        ("Best 🎬 ever", "Best 🎬 ever"),
        ("   ", ""),
        (None, ""),
        (42, ""),
    ],
)
def test_clean_review_text(raw: object, clean: str) -> None:
    assert clean_review_text(raw) == clean
