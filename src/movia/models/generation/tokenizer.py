"""A byte-level BPE tokenizer trained on the training reviews (Hugging Face ``tokenizers``).

Why our own vocabulary instead of MiniLM's 30k WordPiece: the generator's output layer costs
``hidden x vocabulary`` per token, and a few thousand review-specific sub-words keep training
on two CPU cores within budget while covering the corpus without unknown tokens. Byte-level
pre-tokenisation makes ``decode(encode(text))`` give back the text exactly (after the HTML
clean-up and lower-casing below), which WordPiece's ``##`` merges and spacing rules do not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Self

from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from movia.errors import DataError
from movia.text.cleaning import clean_review_text

PAD, BOS, EOS, UNK = "[PAD]", "[BOS]", "[EOS]", "[UNK]"
SPECIAL_TOKENS = (
    PAD,
    BOS,
    EOS,
    UNK,
)  # trained first, so they get ids 0..3 in this order
PAD_ID, BOS_ID, EOS_ID, UNK_ID = range(len(SPECIAL_TOKENS))


def normalise_review(text: object) -> str:
    """HTML-free, whitespace-folded, lower-cased text on one line: what the model sees.

    Lower-casing halves the vocabulary a small model must learn; line breaks (``<br />`` in
    IMDB) become spaces because the generated blurbs are single paragraphs.
    """
    return " ".join(clean_review_text(text).lower().split())


def _one_line(text: str) -> str:
    """Control characters to spaces, runs of whitespace folded, ends trimmed."""
    visible = "".join(
        " " if unicodedata.category(char) == "Cc" else char for char in text
    )
    return " ".join(visible.split())


class SubwordTokenizer(BaseEstimator):
    """Byte-level BPE with ``[PAD]``, ``[BOS]``, ``[EOS]`` and ``[UNK]`` as ids 0-3.

    Args:
        vocab_size: Target vocabulary size, special tokens included.
        min_frequency: A merge must occur this often in the training texts.
    """

    def __init__(self, vocab_size: int = 4000, min_frequency: int = 2) -> None:
        self.vocab_size = vocab_size
        self.min_frequency = min_frequency

    def fit(self, texts: Iterable[object], y: object = None) -> Self:
        """Learn the merges from ``texts`` (cleaned and lower-cased first).

        Raises:
            DataError: No text is left after cleaning.
        """
        from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

        cleaned = [t for t in (normalise_review(text) for text in texts) if t]
        if not cleaned:
            raise DataError("no non-empty text to train the tokenizer on", field="text")
        tokenizer = Tokenizer(models.BPE(unk_token=UNK))
        tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tokenizer.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(
            vocab_size=self.vocab_size,
            min_frequency=self.min_frequency,
            special_tokens=list(SPECIAL_TOKENS),
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
        tokenizer.train_from_iterator(cleaned, trainer=trainer)
        self.tokenizer_ = tokenizer
        self.vocab_size_ = tokenizer.get_vocab_size()
        return self

    def encode(self, texts: Sequence[object]) -> list[list[int]]:
        """Token ids of each text, without ``[BOS]``/``[EOS]`` (the model adds them)."""
        check_is_fitted(self)
        encodings = self.tokenizer_.encode_batch(
            [normalise_review(text) for text in texts], add_special_tokens=False
        )
        return [encoding.ids for encoding in encodings]

    def decode(self, ids: Sequence[Sequence[int]]) -> list[str]:
        """Texts of id sequences; special tokens are dropped, ``[EOS]`` ends a sequence.

        Byte-level BPE can emit any byte, so a sampled sequence may hold line breaks or other
        control characters that no training text had; they become single spaces, keeping
        every text on one line (a CSV row, a blurb on the page).
        """
        check_is_fitted(self)
        cut = []
        for sequence in ids:
            tokens = list(sequence)
            cut.append(tokens[: tokens.index(EOS_ID)] if EOS_ID in tokens else tokens)
        return [_one_line(text) for text in self.tokenizer_.decode_batch(cut)]
