"""Bounded memos: results remembered by their inputs, forgotten all at once when too many.

The files of a run mostly come from one template: the same header labels, title lines and
layouts come back in every file, and working them out again costs far more than looking them
up. A memo hangs off the object it serves (a FormSet, a Form) and empties itself when it
reaches its size, so memory stays bounded whatever the run reads and the working set comes back
within the next few files.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class Memo:
    """Remembered results, emptied when they reach `size` entries.

    `known` is the plain dict itself, for lookups at C speed (`known.get`, and set operations,
    which take their fast path only with an exact dict); store with `remember`. `clears`
    counts the times it was emptied, for callers that keep something derived from its keys.
    """

    __slots__ = ("size", "known", "clears")

    def __init__(self, size: int) -> None:
        self.size = size
        self.known: dict[Hashable, Any] = {}
        self.clears = 0

    def __len__(self) -> int:
        return len(self.known)

    def remember(self, key: Hashable, value: Any) -> Any:
        """Store `value` under `key` (emptying the memo first when full); returns `value`."""
        if len(self.known) >= self.size:
            self.known.clear()
            self.clears += 1
        self.known[key] = value
        return value

    def get_or(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value remembered under `key`, else `make()` remembered."""
        found = self.known.get(key, _MISSING)
        return self.remember(key, make()) if found is _MISSING else found


_MISSING = object()
