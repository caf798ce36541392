"""Fine-tuning loop on a tiny randomly initialised BERT: learning, control, resume, logs."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from movia.errors import ConfigError, ResourceMissingError
from movia.evaluation.classification import accuracy
from movia.models.sentiment import TransformerSentimentClassifier
from movia.models.sentiment.training_state import STATE_FILE


def _model(tiny_bert: Path, **overrides: object) -> TransformerSentimentClassifier:
    params = {
        "checkpoint": str(tiny_bert),
        "max_length": 16,
        "epochs": 8,
        "batch_size": 8,
        "learning_rate": 3e-3,
        "warmup_ratio": 0.1,
        "validation_fraction": 0.2,
        "early_stopping_patience": 100,
        "device": "cpu",
        "random_state": 0,
    }
    return TransformerSentimentClassifier(**(params | overrides))


def test_building_is_free_and_offline() -> None:
    model = TransformerSentimentClassifier(checkpoint="no-such/hub-model")
    assert model.get_params()["checkpoint"] == "no-such/hub-model"
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(model, "model_")


@pytest.mark.slow
def test_learns_the_tiny_corpus(corpus, tiny_bert, tmp_path) -> None:
    model = _model(tiny_bert, tensorboard_dir=str(tmp_path / "tb"))
    assert model.fit(corpus.train_texts, corpus.train_labels) is model
    prob = model.predict_proba(corpus.test_texts)
    assert prob.shape == (60, 2)
    assert accuracy(corpus.test_labels, prob[:, 1]) >= 0.95
    assert list(model.classes_) == ["neg", "pos"]
    # 96 training reviews (24 held out) in batches of 8: 12 steps per epoch, 8 epochs
    assert (model.n_train_, model.n_validation_) == (96, 24)
    assert [r["step"] for r in model.history_] == [12 * e for e in range(1, 9)]
    assert model.history_[-1]["val_accuracy"] >= 0.9
    assert any((tmp_path / "tb").rglob("events.out.tfevents.*"))


@pytest.mark.slow
def test_shuffled_labels_stay_near_chance(corpus, tiny_bert) -> None:
    shuffled = list(np.random.default_rng(0).permutation(corpus.train_labels))
    model = _model(tiny_bert).fit(corpus.train_texts, shuffled)
    assert (
        accuracy(corpus.test_labels, model.predict_proba(corpus.test_texts)[:, 1]) < 0.7
    )


@pytest.mark.slow
def test_early_stopping_restores_the_best_step(corpus, tiny_bert) -> None:
    # Random labels: memorising them makes validation loss rise, so stopping must kick in.
    shuffled = list(np.random.default_rng(1).permutation(corpus.train_labels))
    model = _model(tiny_bert, epochs=30, eval_every_steps=6, early_stopping_patience=2)
    model.fit(corpus.train_texts, shuffled)
    losses = [r["val_loss"] for r in model.history_]
    best = int(np.argmin(losses))
    assert model.stopped_early_
    assert model.best_step_ == model.history_[best]["step"]
    assert len(losses) == best + 1 + 2  # stopped after two evaluations without progress


@pytest.mark.slow
def test_raw_and_bad_input_get_a_result(corpus, tiny_bert) -> None:
    model = _model(tiny_bert, epochs=1).fit(corpus.train_texts, corpus.train_labels)
    long_html = "<p>great &amp; " + "the film " * 500 + "</p>"
    prob = model.predict_proba(["", None, long_html, "ñandú ¿qué?"])
    assert prob.shape == (4, 2)
    np.testing.assert_allclose(prob.sum(axis=1), 1.0, rtol=1e-6)
    assert model.predict_proba([]).shape == (0, 2)


@pytest.mark.slow
def test_resume_continues_an_interrupted_run(corpus, tiny_bert, tmp_path) -> None:
    """A run stopped after its first evaluation, then resumed, ends as an unbroken run does."""
    reference = _model(tiny_bert, epochs=2).fit(corpus.train_texts, corpus.train_labels)

    stopped = _model(tiny_bert, epochs=2, checkpoint_dir=str(tmp_path))

    class Interrupted(Exception):
        pass

    calls = {"n": 0}
    original = stopped._predict_ids

    def interrupt_after_first_evaluation(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Interrupted
        return original(*args, **kwargs)

    stopped._predict_ids = interrupt_after_first_evaluation
    with pytest.raises(Interrupted):
        stopped.fit(corpus.train_texts, corpus.train_labels)
    assert (tmp_path / STATE_FILE).is_file()

    resumed = _model(tiny_bert, epochs=2, checkpoint_dir=str(tmp_path))
    resumed.fit(corpus.train_texts, corpus.train_labels)
    assert [r["step"] for r in resumed.history_] == [12, 24]
    np.testing.assert_allclose(
        resumed.predict_proba(corpus.test_texts),
        reference.predict_proba(corpus.test_texts),
        atol=1e-5,
    )


@pytest.mark.slow
def test_a_changed_parameter_does_not_resume(
    corpus, tiny_bert, tmp_path, caplog
) -> None:
    _model(tiny_bert, epochs=1, checkpoint_dir=str(tmp_path)).fit(
        corpus.train_texts, corpus.train_labels
    )
    caplog.set_level("INFO")
    _model(tiny_bert, epochs=1, learning_rate=1e-3, checkpoint_dir=str(tmp_path)).fit(
        corpus.train_texts, corpus.train_labels
    )
    assert "belongs to other parameters or data" in caplog.text


@pytest.mark.slow
def test_pickles_for_the_catalog(corpus, tiny_bert) -> None:
    model = _model(tiny_bert, epochs=1).fit(corpus.train_texts, corpus.train_labels)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(
        again.predict_proba(corpus.test_texts), model.predict_proba(corpus.test_texts)
    )


def test_missing_checkpoint_is_a_clear_error(corpus, tmp_path) -> None:
    model = TransformerSentimentClassifier(checkpoint=str(tmp_path / "nowhere"))
    with pytest.raises(ResourceMissingError, match="nowhere"):
        model.fit(corpus.train_texts, corpus.train_labels)


def test_bad_configuration_lists_the_choices(corpus, tiny_bert) -> None:
    with pytest.raises(ConfigError, match="fp32"):
        _model(tiny_bert, precision="fp8", epochs=1).fit(
            corpus.train_texts, corpus.train_labels
        )
