"""Head/tail truncation and batching, by hand."""

from __future__ import annotations

import pytest

from movia.errors import ConfigError
from movia.models.sentiment.encoding import (
    encode_texts,
    length_sorted_batches,
    pad_batch,
    truncate_ids,
)

IDS = list(range(10))


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("head", [0, 1, 2, 3, 4, 5]),
        ("tail", [4, 5, 6, 7, 8, 9]),
        ("head_tail", [0, 1, 6, 7, 8, 9]),
    ],
)
def test_truncation_strategies(strategy: str, expected: list[int]) -> None:
    assert truncate_ids(IDS, 6, strategy, head_tokens=2) == expected


def test_short_texts_are_untouched_and_head_is_capped() -> None:
    assert truncate_ids(IDS, 20, "head_tail", head_tokens=2) == IDS
    assert truncate_ids(IDS, 3, "head_tail", head_tokens=8) == [0, 1, 2]
    assert truncate_ids(IDS, 0) == []


def test_unknown_strategy_lists_the_choices() -> None:
    with pytest.raises(ConfigError, match="head_tail"):
        truncate_ids(IDS, 5, "middle")


def test_encode_adds_special_tokens_within_max_length(tiny_bert) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_bert)
    text = "great " + "the " * 20 + "awful"
    (ids,) = encode_texts(tokenizer, [text], max_length=6, head_tokens=2)
    vocab = tokenizer.get_vocab()
    # [CLS] great the | the awful [SEP]: the verdict at the end survives truncation
    assert ids == [
        tokenizer.cls_token_id,
        vocab["great"],
        vocab["the"],
        vocab["the"],
        vocab["awful"],
        tokenizer.sep_token_id,
    ]
    assert encode_texts(tokenizer, [""], max_length=6) == [
        [tokenizer.cls_token_id, tokenizer.sep_token_id]
    ]


def test_pad_batch_pads_to_the_longest() -> None:
    ids, mask = pad_batch([[5, 6, 7], [8]], pad_id=0)
    assert ids.tolist() == [[5, 6, 7], [8, 0, 0]]
    assert mask.tolist() == [[1, 1, 1], [1, 0, 0]]


def test_length_sorted_batches_cover_every_index_once() -> None:
    batches = list(length_sorted_batches([3, 9, 1, 5, 7], batch_size=2))
    assert [b.tolist() for b in batches] == [[1, 4], [3, 0], [2]]
