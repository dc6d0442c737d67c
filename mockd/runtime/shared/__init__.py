"""`start --shared-state redis://host:port[/db]`: several mockd replicas, on one machine or many, share one
Redis (or Valkey) for their mocks, chaos settings, per-mock counts and request log (docs/shared-state.md).

Each replica keeps its own `Runtime` and serves its mock port from memory, as one process does; this package
keeps the replicas in step through the store:

- `link.SharedState` is the runtime's `cluster` (admin hooks) and `shared` (start/close): before every admin
  call it catches up with the store and asks every live replica to flush what it served (a flush barrier);
  after an admin call that changed the mocks or chaos it publishes them and waits for every live replica to
  apply them.
- `journal.SharedJournal` is the journal: the hot path appends to a local buffer that a flusher ships to a
  Redis stream, and the admin side reads the stream (every replica's requests) and the store's counts.
- `state` turns the mock set and chaos settings into the stored document and back.

Nothing here is imported unless `--shared-state` is given, so the one-process hot path pays nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockd.runtime.shared.journal import SharedJournal
from mockd.runtime.shared.link import SharedState
from mockd.runtime.world import Runtime

if TYPE_CHECKING:
    from mockd.runtime.options import ServerOptions


class SharedRuntime(Runtime):
    """A `Runtime` whose journal ships to the store and whose admin calls go through `SharedState`."""

    journal_factory = SharedJournal

    def __init__(self, options: ServerOptions) -> None:
        super().__init__(options)
        assert options.shared_state is not None
        link = SharedState(self, options.shared_state)
        self.cluster = link
        self.shared = link


__all__ = ["SharedRuntime", "SharedState"]
