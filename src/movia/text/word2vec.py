"""Word2Vec (gensim) behind a scikit-learn-style estimator, and mean-vector documents.

:class:`Word2VecEmbedder` stores hyper-parameters in ``__init__`` and trains in ``fit``, so
parameters files, ``clone`` and grid searches treat it like any other estimator. Training is
seeded by ``random_state``; gensim is bit-for-bit reproducible only with ``workers=1`` (thread
scheduling changes the order of updates), so the default of 2 workers trades exact replay for
half the wall time — the intrinsic checks, not the exact vectors, are what we compare.

A document (a review, a movie's tags, an overview) is the mean of its in-vocabulary word
vectors; a movie is the mean of its documents, so one long review does not outweigh the
overview and the tags.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator

logger = logging.getLogger(__name__)


class _EpochLogger:
    """gensim callback: per-epoch loss to the log and, when asked, to TensorBoard."""

    def __init__(self, tensorboard_dir: str | None) -> None:
        self.losses: list[float] = []
        self._previous = 0.0
        self._writer = None
        if tensorboard_dir:
            from torch.utils.tensorboard import SummaryWriter

            Path(tensorboard_dir).mkdir(parents=True, exist_ok=True)
            self._writer = SummaryWriter(log_dir=tensorboard_dir)

    # gensim calls these by name (CallbackAny2Vec protocol).
    def on_train_begin(self, model: object) -> None:
        self._previous = 0.0

    def on_epoch_begin(self, model: object) -> None:
        return None

    def on_epoch_end(self, model: object) -> None:
        # gensim's running loss is cumulative over the train() call: keep the difference.
        total = float(model.get_latest_training_loss())  # type: ignore[attr-defined]
        loss, self._previous = total - self._previous, total
        self.losses.append(loss)
        epoch = len(self.losses)
        logger.info("word2vec epoch %d: loss %.0f", epoch, loss)
        if self._writer is not None:
            self._writer.add_scalar("word2vec/loss", loss, epoch)

    def on_train_end(self, model: object) -> None:
        if self._writer is not None:
            self._writer.close()


class Word2VecEmbedder(BaseEstimator):
    """Train Word2Vec on tokenised documents and embed documents as mean word vectors.

    Args:
        vector_size: Dimensions of the word vectors.
        window: Context words on each side.
        min_count: Words seen fewer times are dropped.
        epochs: Passes over the corpus.
        sg: 1 for skip-gram, 0 for CBOW (faster; fine for frequent review words).
        negative: Negative samples per positive one.
        sample: Down-sampling threshold for frequent words.
        workers: Training threads (see module doc about reproducibility).
        random_state: Seed of gensim's initialisation and sampling.
        tensorboard_dir: Folder for per-epoch loss event files (None: no TensorBoard).

    Attributes:
        model_: The trained ``gensim.models.Word2Vec``.
        loss_history_: Training loss of each epoch.
    """

    def __init__(
        self,
        vector_size: int = 100,
        window: int = 5,
        min_count: int = 5,
        epochs: int = 5,
        sg: int = 0,
        negative: int = 5,
        sample: float = 1e-3,
        workers: int = 2,
        random_state: int = 42,
        tensorboard_dir: str | None = None,
    ) -> None:
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.epochs = epochs
        self.sg = sg
        self.negative = negative
        self.sample = sample
        self.workers = workers
        self.random_state = random_state
        self.tensorboard_dir = tensorboard_dir

    def fit(
        self, corpus: Sequence[Sequence[str]], y: object = None
    ) -> Word2VecEmbedder:
        """Train on ``corpus`` (a re-iterable sequence of token lists)."""
        from gensim.models import Word2Vec

        callback = _EpochLogger(self.tensorboard_dir)
        sentences = [list(doc) for doc in corpus if len(doc)]
        self.model_ = Word2Vec(
            sentences=sentences,
            vector_size=self.vector_size,
            window=self.window,
            min_count=self.min_count,
            epochs=self.epochs,
            sg=self.sg,
            negative=self.negative,
            sample=self.sample,
            workers=self.workers,
            seed=self.random_state,
            compute_loss=True,
            callbacks=[callback],
        )
        self.loss_history_ = callback.losses
        logger.info(
            "word2vec: %d words in vocabulary from %d documents",
            len(self.model_.wv),
            len(sentences),
        )
        return self


def document_vectors(
    keyed_vectors: object, documents: Iterable[Sequence[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Mean word vector of each document, and which documents had any known word.

    Args:
        keyed_vectors: A gensim ``KeyedVectors`` (``model.wv``).
        documents: Token lists.

    Returns:
        A float32 matrix (one row per document; zeros where no word is known) and a boolean
        mask of the rows that are real means.
    """
    index = keyed_vectors.key_to_index  # type: ignore[attr-defined]
    vectors = keyed_vectors.vectors  # type: ignore[attr-defined]
    rows, known = [], []
    for tokens in documents:
        ids = [index[t] for t in tokens if t in index]
        known.append(bool(ids))
        rows.append(
            vectors[ids].mean(axis=0)
            if ids
            else np.zeros(vectors.shape[1], dtype=np.float32)
        )
    if not rows:
        return np.zeros((0, vectors.shape[1]), dtype=np.float32), np.zeros(0, bool)
    return np.vstack(rows).astype(np.float32), np.array(known)
