"""A bounded, thread-safe LRU of computed answers, keyed by what determines them.

A known user's list is a lookup in precomputed tables plus explanations, and a preference
profile is scored deterministically (the same titles, genres and sentence give the same films),
so an answer can be reused for as long as the model is loaded. Pages re-send the same profile as
a person edits it, and many visitors ask for the same genres; a hit costs microseconds instead of
the milliseconds of explaining ten films. Errors are never cached. ``max_entries=0`` turns the
cache off (the benchmark measures both).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class AnswerCache:
    """Least-recently-used answers, at most ``max_entries`` of them.

    Args:
        max_entries: Capacity; 0 disables the cache.
    """

    def __init__(self, max_entries: int = 2048) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        """The cached answer for ``key`` (now the most recent), or ``None``."""
        if not self.max_entries:
            return None
        with self._lock:
            answer = self._entries.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: Hashable, answer: Any) -> None:
        """Remember ``answer``; the least recently used entry goes when full."""
        if not self.max_entries:
            return
        with self._lock:
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
