"""Sampling stops at [EOS]; Gumbel rollouts are differentiable; one GAN step moves both
networks; the GAN fine-tunes a copy and leaves the MLE generator as it was."""

from __future__ import annotations

import copy

import pytest
import torch

from movia.errors import ConfigError
from movia.models.generation import ReviewGAN, ReviewGenerator
from movia.models.generation.batches import make_batch
from movia.models.generation.discriminator import CNNDiscriminator
from movia.models.generation.gan import adversarial_step, annealed_inverse_temperature
from movia.models.generation.network import ConditionalGRU
from movia.models.generation.sampling import gumbel_rollout, sample_ids
from movia.models.generation.tokenizer import EOS_ID, PAD_ID, SubwordTokenizer

VOCAB = 12


@pytest.fixture
def network() -> ConditionalGRU:
    torch.manual_seed(0)
    return ConditionalGRU(VOCAB, 2, 8, 16, 1, 4, 0.0).eval()


def _condition(network: ConditionalGRU, batch: int = 6) -> torch.Tensor:
    sentiments = torch.tensor([0, 1] * (batch // 2))
    return network.condition(sentiments, torch.zeros(batch, 2))


def test_sampling_pads_after_eos_and_stops_when_all_ended(network) -> None:
    ids = sample_ids(network, _condition(network), max_tokens=30)
    for row in ids.tolist():
        if EOS_ID in row:
            end = row.index(EOS_ID)
            assert all(token == PAD_ID for token in row[end + 1 :])
            assert PAD_ID not in row[:end]
    with torch.no_grad():
        network.output_bias[EOS_ID] = 100.0  # [EOS] is certain: one step and stop
    assert (
        sample_ids(network, _condition(network), max_tokens=30).tolist()
        == [[EOS_ID]] * 6
    )
    with pytest.raises(ConfigError, match="temperature=-1"):
        sample_ids(network, _condition(network), max_tokens=5, temperature=-1)


def test_gumbel_rollout_is_relaxed_one_hot_and_differentiable(network) -> None:
    soft, hard = gumbel_rollout(
        network, _condition(network), max_tokens=7, inverse_temperature=5.0
    )
    assert soft.shape == (6, 7, VOCAB) and hard.shape == (6, 7)
    alive = soft.sum(-1) > 0.5
    for row in range(6):
        tokens = hard[row].tolist()
        end = tokens.index(EOS_ID) + 1 if EOS_ID in tokens else 7
        assert alive[row].tolist() == [True] * end + [False] * (7 - end)
        # the token fed on is the arg-max of the relaxed vector
        assert soft[row, :end].argmax(-1).tolist() == tokens[:end]
    soft.pow(2).sum().backward()
    assert network.project.weight.grad is not None
    assert network.project.weight.grad.abs().sum() > 0


def test_annealing_schedule_is_exponential() -> None:
    values = [annealed_inverse_temperature(s, 3, 1.0, 100.0) for s in range(3)]
    assert values == pytest.approx([1.0, 10.0, 100.0])
    assert annealed_inverse_temperature(0, 1, 1.0, 100.0) == 100.0


def _parameters(module: torch.nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in module.parameters()]


def _changed(before: list[torch.Tensor], module: torch.nn.Module) -> bool:
    return any(
        not torch.equal(a, b) for a, b in zip(before, module.parameters(), strict=True)
    )


@pytest.fixture
def step_setup(tiny_corpus, tiny_generator_params):
    generator = ReviewGenerator(
        tokenizer=SubwordTokenizer(vocab_size=300, min_frequency=1),
        **{**tiny_generator_params, "epochs": 1},
    ).fit(*tiny_corpus)
    network = copy.deepcopy(generator.network_)
    discriminator = CNNDiscriminator(network.vocab_size, 8, (2, 3), 4, 0.0)
    corpus = generator.encode(*tiny_corpus)
    batch = make_batch(corpus, list(range(8)), device=torch.device("cpu"), length=16)
    optimizers = (
        torch.optim.Adam(network.parameters(), lr=1e-3),
        torch.optim.Adam(discriminator.parameters(), lr=1e-3),
    )
    return network, discriminator, optimizers, batch


def test_gan_step_updates_generator_and_discriminator(step_setup) -> None:
    network, discriminator, (g_opt, d_opt), batch = step_setup
    g_before, d_before = _parameters(network), _parameters(discriminator)
    losses = adversarial_step(
        network,
        discriminator,
        g_opt,
        d_opt,
        batch,
        max_tokens=16,
        inverse_temperature=1.0,
        mle_weight=1.0,
        mismatch_weight=1.0,
        grad_clip=5.0,
        generator=torch.Generator().manual_seed(0),
    )
    assert set(losses) == {"d_loss", "g_adv_loss", "g_mle_nll"}
    # at the start, -log sigmoid(0) = log 2 for each of the two relativistic terms
    assert losses["d_loss"] == pytest.approx(2 * 0.6931, abs=0.3)
    assert _changed(g_before, network) and _changed(d_before, discriminator)


def test_discriminator_pretraining_leaves_the_generator_alone(step_setup) -> None:
    network, discriminator, (g_opt, d_opt), batch = step_setup
    g_before, d_before = _parameters(network), _parameters(discriminator)
    losses = adversarial_step(
        network,
        discriminator,
        g_opt,
        d_opt,
        batch,
        max_tokens=16,
        inverse_temperature=1.0,
        mle_weight=1.0,
        mismatch_weight=0.0,
        grad_clip=5.0,
        update_generator=False,
    )
    assert set(losses) == {"d_loss"}
    assert not _changed(g_before, network) and _changed(d_before, discriminator)


def test_review_gan_fine_tunes_a_copy(
    tiny_corpus, tiny_generator_params, tmp_path
) -> None:
    mle = ReviewGenerator(
        tokenizer=SubwordTokenizer(vocab_size=300, min_frequency=1),
        **{**tiny_generator_params, "epochs": 2},
    ).fit(*tiny_corpus)
    mle_before = _parameters(mle.network_)
    gan = ReviewGAN(
        steps=3,
        pretrain_steps=2,
        batch_size=8,
        embedding_dim=8,
        filter_sizes=(2, 3),
        num_filters=4,
        sample_every=2,
        device="cpu",
        num_threads=1,
        random_state=0,
        log_dir=str(tmp_path / "tb"),
        checkpoint_dir=str(tmp_path / "checkpoints"),
    ).fit(*tiny_corpus, generator=mle)
    assert not _changed(mle_before, mle.network_)
    assert _changed(mle_before, gan.generator_.network_)
    assert [row["step"] for row in gan.history_] == [1, 2, 3, 4, 5]
    assert ["g_mle_nll" in row for row in gan.history_] == [
        False,
        False,
        True,
        True,
        True,
    ]
    assert gan.generator_.fit_seconds_ > mle.fit_seconds_
    assert len(gan.generator_.generate(["pos", "neg"])) == 2
    assert list((tmp_path / "checkpoints").glob("gan_last.pt"))
    assert list((tmp_path / "tb" / "gan").glob("events.out.tfevents.*"))


def test_review_gan_rejects_negative_steps(tiny_corpus, tiny_generator_params) -> None:
    mle = ReviewGenerator(
        tokenizer=SubwordTokenizer(vocab_size=300, min_frequency=1),
        **{**tiny_generator_params, "epochs": 0},
    ).fit(*tiny_corpus)
    with pytest.raises(ConfigError, match="steps=-1"):
        ReviewGAN(steps=-1, device="cpu").fit(*tiny_corpus, generator=mle)


def test_review_gan_estimator_contract() -> None:
    from sklearn.base import clone

    gan = ReviewGAN(steps=7, filter_sizes=(2, 3))
    assert not [name for name in vars(gan) if name.endswith("_")]
    assert clone(gan).get_params() == gan.get_params()
