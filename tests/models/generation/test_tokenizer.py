"""The byte-level BPE tokenizer: exact round trip, HTML stripped, special tokens, errors."""

from __future__ import annotations

import pickle

import pytest
from sklearn.exceptions import NotFittedError

from movia.errors import DataError
from movia.models.generation.tokenizer import (
    BOS_ID,
    EOS_ID,
    PAD_ID,
    UNK_ID,
    SubwordTokenizer,
    normalise_review,
)


@pytest.fixture
def tokenizer(tiny_corpus) -> SubwordTokenizer:
    texts, _, _ = tiny_corpus
    return SubwordTokenizer(vocab_size=400, min_frequency=1).fit(texts)


def test_normalise_review_strips_html_and_lowercases() -> None:
    raw = "Great<br /><br />film &amp; <i>CAST</i>!"
    assert normalise_review(raw) == "great film & cast !"
    assert normalise_review(None) == ""


def test_round_trip_gives_back_the_normalised_text(tokenizer: SubwordTokenizer) -> None:
    texts = [
        "The film was GREAT, wasn't it?",
        "Unseen words: zyxw qq 1999 ... ¡Olé! 😀",
        "Line<br />break &amp; <b>bold</b> text",
    ]
    decoded = tokenizer.decode(tokenizer.encode(texts))
    assert decoded == [
        "the film was great, wasn't it?",
        "unseen words: zyxw qq 1999 ... ¡olé! 😀",
        "line break & bold text",
    ]
    # bytes never seen in training still encode: no [UNK] with a byte-level alphabet
    assert UNK_ID not in {i for ids in tokenizer.encode(texts) for i in ids}


def test_special_tokens_have_fixed_ids_and_eos_ends_decoding(
    tokenizer: SubwordTokenizer,
) -> None:
    vocab = tokenizer.tokenizer_.get_vocab()
    assert [vocab[t] for t in ("[PAD]", "[BOS]", "[EOS]", "[UNK]")] == [0, 1, 2, 3]
    assert (PAD_ID, BOS_ID, EOS_ID, UNK_ID) == (0, 1, 2, 3)
    ids = tokenizer.encode(["great film"])[0]
    assert tokenizer.decode([[BOS_ID, *ids, EOS_ID, *ids, PAD_ID]]) == ["great film"]


def test_decoded_text_stays_on_one_line(tokenizer: SubwordTokenizer) -> None:
    vocab = tokenizer.tokenizer_.get_vocab()
    newline, tab = vocab["Ċ"], vocab["ĉ"]  # byte-level symbols of "\n" and "\t"
    great = tokenizer.encode(["great"])[0]
    assert tokenizer.decode([[*great, newline, tab, *great, newline]]) == [
        "great great"
    ]


def test_vocabulary_merges_frequent_words(tokenizer: SubwordTokenizer) -> None:
    assert 260 < tokenizer.vocab_size_ <= 400  # 256 bytes + 4 specials + merges
    # every word of this phrase is frequent in the corpus: one token each, space included
    assert len(tokenizer.encode(["the film was great"])[0]) == 4


def test_pickle_round_trip(tokenizer: SubwordTokenizer) -> None:
    copy = pickle.loads(pickle.dumps(tokenizer))
    assert copy.encode(["a wonderful cast"]) == tokenizer.encode(["a wonderful cast"])


def test_errors() -> None:
    with pytest.raises(NotFittedError):
        SubwordTokenizer().encode(["text"])
    with pytest.raises(DataError, match="no non-empty text"):
        SubwordTokenizer().fit(["", "<br />", None])
