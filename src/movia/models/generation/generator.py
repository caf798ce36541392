"""The review generator estimator: tokenizer + conditional GRU, trained by maximum likelihood.

``ReviewGenerator`` follows the scikit-learn contract (``__init__`` stores hyper-parameters,
``fit`` learns ``tokenizer_`` and ``network_`` and returns ``self``); building one is free and
offline. The fitted network is kept on the CPU so a pickled generator loads anywhere; calls
move it to the configured device (``auto`` = CUDA when present) for their duration.
The GAN (``gan.py``) fine-tunes a copy of a fitted generator and returns another
``ReviewGenerator``, so the MLE baseline and the GAN are sampled and evaluated the same way.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, Self

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from movia.errors import ConfigError, DataError
from movia.models.generation.batches import EncodedCorpus
from movia.models.generation.conditioning import (
    check_sample_count,
    genre_vocabulary,
    multi_hot_genres,
    sentiment_ids,
)
from movia.models.generation.runtime import (
    resolve_device,
    seeded,
    summary_writer,
    torch_threads,
)
from movia.models.generation.tokenizer import SubwordTokenizer

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)


def check_aligned(texts: Sequence[object], **others: Sequence[object] | None) -> None:
    """Fail unless ``texts`` is non-empty and every other sequence has the same length.

    Raises:
        DataError: An empty corpus, or a column of another length (named in the message).
    """
    if len(texts) == 0:
        raise DataError("the corpus is empty: no text left to train on", field="text")
    for name, values in others.items():
        if values is not None and len(values) != len(texts):
            raise DataError(f"{len(values)} values for {len(texts)} texts", field=name)


class ReviewGenerator(BaseEstimator):
    """Sentiment- (and genre-) conditioned review language model, trained by MLE.

    Args:
        tokenizer: An unfitted :class:`SubwordTokenizer` (cloned and fitted in ``fit``);
            None uses the default one.
        max_tokens: Longest sequence in tokens, ``[EOS]`` included; longer texts are cut.
        embedding_dim: Token embedding width (tied to the output layer).
        hidden_dim: GRU state width.
        num_layers: Stacked GRU layers.
        condition_dim: Width of the sentiment embedding and of the genre projection.
        dropout: Dropout during training.
        use_genres: Condition on the genres passed to ``fit`` (off: sentiment only).
        epochs: Passes over the training texts.
        batch_size: Sequences per optimisation step.
        learning_rate: Adam's initial learning rate (decays linearly to a tenth).
        grad_clip: Gradient norm clipping threshold.
        device: ``auto`` (CUDA when available), ``cpu`` or ``cuda``.
        num_threads: CPU threads for torch during fit and sampling (None: torch's default).
        random_state: Seed of initialisation, batch order, dropout and default sampling.
        log_dir: TensorBoard folder (None: no event files).
        checkpoint_dir: Folder for the end-of-epoch checkpoint (None: none written).
    """

    def __init__(
        self,
        tokenizer: SubwordTokenizer | None = None,
        max_tokens: int = 64,
        embedding_dim: int = 128,
        hidden_dim: int = 256,
        num_layers: int = 1,
        condition_dim: int = 16,
        dropout: float = 0.1,
        use_genres: bool = True,
        epochs: int = 2,
        batch_size: int = 64,
        learning_rate: float = 3e-3,
        grad_clip: float = 1.0,
        device: str = "auto",
        num_threads: int | None = None,
        random_state: int = 0,
        log_dir: str | None = None,
        checkpoint_dir: str | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens
        self.embedding_dim = embedding_dim
        self.hidden_dim = hidden_dim
        self.num_layers = num_layers
        self.condition_dim = condition_dim
        self.dropout = dropout
        self.use_genres = use_genres
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.grad_clip = grad_clip
        self.device = device
        self.num_threads = num_threads
        self.random_state = random_state
        self.log_dir = log_dir
        self.checkpoint_dir = checkpoint_dir

    def fit(
        self,
        texts: Sequence[str],
        sentiments: Sequence[object],
        genres: Sequence[object] | None = None,
    ) -> Self:
        """Train the tokenizer, then the network by teacher forcing.

        Args:
            texts: Training texts (already cut to blurb length; HTML is stripped here).
            sentiments: ``neg``/``pos`` per text; missing values train the "unknown" slot
                (unlabelled pre-training data).
            genres: Genre names per text (None/empty when unknown), or None.

        Raises:
            DataError: Empty corpus or misaligned inputs.
            ConfigError: An unknown sentiment value or device.
        """
        from movia.models.generation.mle import train_mle
        from movia.models.generation.network import ConditionalGRU
        from movia.models.generation.sampling import write_text_samples

        check_aligned(texts, sentiments=sentiments, genres=genres)
        if self.max_tokens < 2:
            raise ConfigError("max_tokens", self.max_tokens, ["an integer >= 2"])
        started = time.perf_counter()
        device = resolve_device(self.device)
        tokenizer = SubwordTokenizer() if self.tokenizer is None else self.tokenizer
        self.tokenizer_ = clone(tokenizer).fit(texts)
        self.genres_ = (
            genre_vocabulary(genres) if self.use_genres and genres is not None else []
        )
        corpus = self.encode(texts, sentiments, genres, allow_unknown=True)
        writer = summary_writer(self.log_dir, "mle")
        with seeded(self.random_state, device), torch_threads(self.num_threads):
            network = ConditionalGRU(
                vocab_size=self.tokenizer_.vocab_size_,
                n_genres=len(self.genres_),
                embedding_dim=self.embedding_dim,
                hidden_dim=self.hidden_dim,
                num_layers=self.num_layers,
                condition_dim=self.condition_dim,
                dropout=self.dropout,
            ).to(device)
            self.history_ = train_mle(
                network,
                corpus,
                epochs=self.epochs,
                batch_size=self.batch_size,
                learning_rate=self.learning_rate,
                grad_clip=self.grad_clip,
                device=device,
                rng=np.random.default_rng(self.random_state),
                writer=writer,
                checkpoint_dir=self.checkpoint_dir,
                on_epoch_end=None
                if writer is None
                else partial(
                    write_text_samples,
                    writer,
                    "mle/samples",
                    network=network,
                    decode=self.tokenizer_.decode,
                    max_tokens=self.max_tokens,
                    n_genres=len(self.genres_),
                ),
            )
        if writer is not None:
            writer.close()
        self.network_ = network.cpu().eval()
        self.n_train_ = len(corpus)
        self.fit_seconds_ = time.perf_counter() - started
        logger.info(
            "MLE generator: %d texts, vocabulary %d, %d genres, %.0f s on %s",
            len(corpus),
            self.tokenizer_.vocab_size_,
            len(self.genres_),
            self.fit_seconds_,
            device,
        )
        return self

    def encode(
        self,
        texts: Sequence[str],
        sentiments: Sequence[object],
        genres: Sequence[object] | None = None,
        *,
        allow_unknown: bool = False,
    ) -> EncodedCorpus:
        """Token ids (cut to ``max_tokens - 1`` so ``[EOS]`` fits) with their conditions.

        Raises:
            ConfigError: Unknown sentiment; UnknownIdError: genre never seen in ``fit``.
        """
        check_is_fitted(self, "tokenizer_")
        check_aligned(texts, sentiments=sentiments, genres=genres)
        limit = self.max_tokens - 1
        tokens = [
            np.asarray(ids[:limit], dtype=np.int64)
            for ids in self.tokenizer_.encode(texts)
        ]
        return EncodedCorpus(
            tokens=tokens,
            sentiments=sentiment_ids(sentiments, allow_unknown=allow_unknown),
            genres=multi_hot_genres(
                genres if self.genres_ else None, self.genres_, len(texts)
            ),
        )

    @contextmanager
    def _network_on(self, device: torch.device) -> Iterator[Any]:
        """The fitted network on ``device`` for one call, back on the CPU afterwards."""
        check_is_fitted(self, "network_")
        network = self.network_.to(device).eval()
        try:
            with torch_threads(self.num_threads):
                yield network
        finally:
            self.network_ = network.cpu()

    def generate(
        self,
        sentiments: Sequence[str],
        genres: Sequence[object] | None = None,
        *,
        temperature: float = 1.0,
        top_k: int = 0,
        random_state: int | None = None,
        batch_size: int = 1024,
    ) -> list[str]:
        """One review per requested sentiment (and genre list), as text.

        Args:
            sentiments: ``neg``/``pos`` per review to write.
            genres: Genre names per review (None/empty: no genre), or None.
            temperature: Softmax temperature (lower: safer, less diverse).
            top_k: Sample among the ``k`` most likely tokens (0: all).
            random_state: Sampling seed (default: the estimator's ``random_state``).
            batch_size: Reviews drawn in parallel.

        Raises:
            ConfigError: Zero or too many reviews, an unknown sentiment, or temperature <= 0.
            UnknownIdError: A genre the generator was not fitted with.
        """
        import torch

        from movia.models.generation.sampling import sample_ids

        check_is_fitted(self, "network_")
        n = check_sample_count(len(sentiments), "number of reviews")
        slots = sentiment_ids(sentiments, allow_unknown=False)
        genre_rows = multi_hot_genres(genres if self.genres_ else None, self.genres_, n)
        if genres is not None and not self.genres_:
            logger.warning("genres ignored: this generator was fitted without genres")
        device = resolve_device(self.device)
        seed = self.random_state if random_state is None else random_state
        generator = torch.Generator(device=device).manual_seed(seed)
        texts: list[str] = []
        with self._network_on(device) as network:
            for start in range(0, n, batch_size):
                condition = network.condition(
                    torch.from_numpy(slots[start : start + batch_size]).to(device),
                    torch.from_numpy(genre_rows[start : start + batch_size]).to(device),
                )
                ids = sample_ids(
                    network,
                    condition,
                    max_tokens=self.max_tokens,
                    temperature=temperature,
                    top_k=top_k,
                    generator=generator,
                )
                texts.extend(self.tokenizer_.decode(ids.cpu().tolist()))
        return texts

    def sequence_nll(
        self,
        texts: Sequence[str],
        sentiments: Sequence[str],
        genres: Sequence[object] | None = None,
        *,
        batch_size: int = 256,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Summed NLL (nats) and token count per text under its true condition.

        Texts are cut like training texts (``max_tokens``), ``[EOS]`` included.
        """
        from movia.models.generation.mle import sequence_nll

        corpus = self.encode(texts, sentiments, genres)
        device = resolve_device(self.device)
        with self._network_on(device) as network:
            return sequence_nll(network, corpus, batch_size=batch_size, device=device)

    def with_network(self, network: Any, **fitted: Any) -> ReviewGenerator:
        """A copy of this fitted generator with another network (used by the GAN)."""
        check_is_fitted(self, "network_")
        twin = copy.copy(self)
        twin.network_ = network.cpu().eval()
        for name, value in fitted.items():
            setattr(twin, name, value)
        return twin
