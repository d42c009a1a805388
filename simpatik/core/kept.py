"""What a process keeps of work it would otherwise repeat: a bounded, thread-safe map.

Compiled statements, rendered page frames, reduced photos, filter bars: each is kept by a key
that holds everything it depends on, so a kept value is never wrong, only sometimes missing.
Kept at most `size` at once; the least recently used go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

_MISSING = object()


class Kept:
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            found = self._items.get(key, _MISSING)
            if found is _MISSING:
                return default
            self._items.move_to_end(key)
            return found

    def put(self, key, value):
        """Keep `value` for `key` (the oldest go past `size`); returns `value`."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
