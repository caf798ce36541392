"""The answer cache: LRU order, capacity, off switch; and its use by predict_fn."""

from __future__ import annotations

from pathlib import Path

import pytest

from movia.serving.answer_cache import AnswerCache
from movia.serving.inference import input_fn, model_fn, predict_fn


def test_least_recently_used_entry_goes_first() -> None:
    cache = AnswerCache(max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert (cache.get("b"), cache.get("a"), cache.get("c")) == (None, 1, 3)
    assert (cache.hits, cache.misses, len(cache)) == (3, 1, 2)


def test_zero_entries_means_off() -> None:
    cache = AnswerCache(max_entries=0)
    cache.put("a", 1)
    assert cache.get("a") is None and len(cache) == 0


def test_repeated_requests_reuse_items_with_fresh_request_ids(model_dir: Path) -> None:
    model = model_fn(model_dir)
    request = input_fn(b'{"genres": ["Animation"], "k": 3}')
    first, second = predict_fn(request, model), predict_fn(request, model)
    assert first.items == second.items and first.request_id != second.request_id
    assert (model.cache.hits, model.cache.misses) == (1, 1)
    # k beyond the catalogue is the same answer as the whole catalogue: one entry.
    predict_fn(input_fn(b'{"genres": ["War"], "k": 12}'), model)
    predict_fn(input_fn(b'{"genres": ["War"], "k": 50}'), model)
    assert model.cache.hits == 2


def test_the_cache_size_comes_from_the_environment(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOVIA_ANSWER_CACHE", "0")
    model = model_fn(model_dir)
    assert model.cache.max_entries == 0
    monkeypatch.setenv("MOVIA_ANSWER_CACHE", "lots")
    with pytest.raises(ValueError, match="MOVIA_ANSWER_CACHE='lots' is not valid"):
        model_fn(model_dir)


def test_errors_are_not_cached(model_dir: Path) -> None:
    model = model_fn(model_dir)
    bad = input_fn(b'{"liked_titles": ["Qwertyuiop Zxcv"]}')
    for _ in range(2):
        with pytest.raises(ValueError, match="unknown title"):
            predict_fn(bad, model)
    assert len(model.cache) == 0
