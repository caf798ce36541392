"""The fine-tuning loop behind :class:`~movia.models.sentiment.transformer.TransformerSentimentClassifier`.

One optimiser step per batch: seeded shuffles that a resumed run replays, batches padded to
their longest review, cross-entropy in fp32 even under bf16 autocast, gradients clipped to a
global norm, the learning rate stepped by the warm-up/decay schedule. Every ``eval_every_steps``
(or at each epoch's end) it measures validation loss and accuracy, keeps the best weights for
early stopping, writes TensorBoard scalars and a resumable checkpoint.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from movia.models.sentiment.encoding import pad_batch
from movia.models.sentiment.training_state import save_state

if TYPE_CHECKING:
    import torch

    from movia.models.sentiment.transformer import TransformerSentimentClassifier

logger = logging.getLogger(__name__)


class TrainingLoop:
    """The mutable state of one fine-tuning run, kept out of the estimator's attributes.

    Args:
        estimator: Supplies the hyper-parameters (epochs, batch size, patience, folders…).
        model, optimizer, scheduler: The objects being trained, already on ``device``.
        device: Where batches go.
        pad_id: Padding token id.
        fingerprint: Identifies the run in checkpoints (see :mod:`.training_state`).
        autocast: Returns the forward pass's precision context.
        predict: P(pos) of pre-encoded reviews under a model (for validation).
    """

    def __init__(
        self,
        estimator: TransformerSentimentClassifier,
        model: torch.nn.Module,
        optimizer: torch.optim.Optimizer,
        scheduler: object,
        device: torch.device,
        pad_id: int,
        fingerprint: str,
        autocast: Callable[[], AbstractContextManager],
        predict: Callable[[torch.nn.Module, list[list[int]]], np.ndarray],
    ) -> None:
        self.est, self.model, self.optimizer, self.scheduler = (
            estimator,
            model,
            optimizer,
            scheduler,
        )
        self.device, self.pad_id, self.fingerprint = device, pad_id, fingerprint
        self.autocast, self.predict = autocast, predict
        self.global_step, self.epoch, self.step_in_epoch = 0, 0, 0
        self.best_loss, self.best_step, self.best_state = math.inf, 0, None
        self.bad_evals, self.stopped_early = 0, False
        self.history: list[dict] = []
        self.writer = None

    def restore(self, state: dict) -> None:
        import torch

        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        for key in ("global_step", "epoch", "step_in_epoch", "best_loss", "best_step"):
            setattr(self, key, state[key])
        self.best_state = state["best_state"]
        self.bad_evals, self.history = state["bad_evals"], list(state["history"])

    def _open_writer(self) -> None:
        if self.est.tensorboard_dir is None:
            return
        from torch.utils.tensorboard import SummaryWriter

        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        log_dir = (
            Path(self.est.tensorboard_dir) / f"{stamp}-seed{self.est.random_state}"
        )
        self.writer = SummaryWriter(log_dir=str(log_dir))
        logger.info("TensorBoard logs in %s", log_dir)

    def run(
        self,
        train_ids: list[list[int]],
        y_train: np.ndarray,
        val_ids: list[list[int]],
        y_val: np.ndarray,
        steps_per_epoch: int,
    ) -> None:
        from tqdm.auto import tqdm

        est = self.est
        eval_every = est.eval_every_steps or steps_per_epoch
        total = steps_per_epoch * est.epochs
        self._open_writer()
        self.model.train()
        started = time.perf_counter()
        progress = tqdm(
            total=total,
            initial=self.global_step,
            desc="fine-tuning",
            unit="step",
            disable=None,
        )
        try:
            while self.epoch < est.epochs and not self.stopped_early:
                # The order of an epoch depends only on the seed and the epoch number, so a
                # resumed run replays it and skips the batches it already trained on.
                order = np.random.default_rng(
                    [est.random_state, self.epoch]
                ).permutation(len(train_ids))
                batches = [
                    order[i : i + est.batch_size]
                    for i in range(0, len(order), est.batch_size)
                ]
                for batch in batches[self.step_in_epoch :]:
                    loss = self._step(train_ids, y_train, batch)
                    self.global_step += 1
                    self.step_in_epoch += 1
                    progress.update(1)
                    progress.set_postfix(loss=f"{loss:.3f}")
                    self._log("train/loss", loss)
                    self._log("train/learning_rate", self.scheduler.get_last_lr()[0])
                    if self.global_step % eval_every == 0 or self.step_in_epoch == len(
                        batches
                    ):
                        if self.step_in_epoch == len(batches):
                            self.epoch, self.step_in_epoch = self.epoch + 1, 0
                        self._evaluate(val_ids, y_val, time.perf_counter() - started)
                        if self.stopped_early:
                            break
        finally:
            progress.close()
            if self.writer is not None:
                self.writer.close()
        if self.best_state is not None:
            self.model.load_state_dict(self.best_state)
            logger.info(
                "restored the weights of step %d (validation loss %.4f)",
                self.best_step,
                self.best_loss,
            )
        self._checkpoint(completed=True)

    def _step(
        self, train_ids: list[list[int]], y: np.ndarray, batch: np.ndarray
    ) -> float:
        import torch

        input_ids, mask = pad_batch([train_ids[i] for i in batch], self.pad_id)
        labels = torch.as_tensor(y[batch], dtype=torch.long, device=self.device)
        with self.autocast():
            logits = self.model(
                input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device)
            ).logits
        loss = torch.nn.functional.cross_entropy(logits.float(), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.est.max_grad_norm)
        self.optimizer.step()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        return float(loss.detach())

    def _evaluate(
        self, val_ids: list[list[int]], y_val: np.ndarray, seconds: float
    ) -> None:
        record = {
            "step": self.global_step,
            "epoch": self.epoch,
            "seconds": round(seconds, 1),
        }
        if len(val_ids):
            prob = self.predict(self.model, val_ids)
            prob_true = np.clip(np.where(y_val == 1, prob, 1.0 - prob), 1e-7, 1.0)
            record["val_loss"] = float(-np.mean(np.log(prob_true)))
            record["val_accuracy"] = float(np.mean((prob >= 0.5) == (y_val == 1)))
            self._log("val/loss", record["val_loss"])
            self._log("val/accuracy", record["val_accuracy"])
            if record["val_loss"] < self.best_loss:
                self.best_loss, self.best_step, self.bad_evals = (
                    record["val_loss"],
                    self.global_step,
                    0,
                )
                self.best_state = {
                    k: v.detach().to("cpu", copy=True)
                    for k, v in self.model.state_dict().items()
                }
            else:
                self.bad_evals += 1
                if self.bad_evals >= self.est.early_stopping_patience:
                    self.stopped_early = True
                    logger.info(
                        "early stopping at step %d: no better validation loss in %d "
                        "evaluations",
                        self.global_step,
                        self.bad_evals,
                    )
            logger.info(
                "step %d: validation loss %.4f, accuracy %.4f",
                self.global_step,
                record["val_loss"],
                record["val_accuracy"],
            )
        self.history.append(record)
        self._checkpoint(completed=False)

    def _log(self, tag: str, value: float) -> None:
        if self.writer is not None:
            self.writer.add_scalar(tag, value, self.global_step)

    def _checkpoint(self, completed: bool) -> None:
        if self.est.checkpoint_dir is None:
            return
        import torch

        if completed:
            # A finished run is never resumed: keep only what says so, not 300 MB of state.
            save_state(
                self.est.checkpoint_dir,
                {
                    "fingerprint": self.fingerprint,
                    "completed": True,
                    "global_step": self.global_step,
                    "epoch": self.epoch,
                    "history": self.history,
                },
            )
            return
        save_state(
            self.est.checkpoint_dir,
            {
                "fingerprint": self.fingerprint,
                "completed": False,
                "global_step": self.global_step,
                "epoch": self.epoch,
                "step_in_epoch": self.step_in_epoch,
                "best_loss": self.best_loss,
                "best_step": self.best_step,
                "best_state": self.best_state,
                "bad_evals": self.bad_evals,
                "history": self.history,
                "model": self.model.state_dict(),
                "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(),
                "torch_rng": torch.get_rng_state(),
            },
        )
