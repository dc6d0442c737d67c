"""Granian's Rust tasks without their leak: every wait is shown to Granian through one shared stand-in.

Granian 2.8.9 can run each request as a "Rust task" instead of an asyncio Task: about 12 % faster, since
no Task object is built per request. But its scheduler (`CallbackScheduler::send`, src/callbacks.rs) keeps
the new reference `PyIter_Send` hands back for whatever the coroutine yields, and never releases it. What a
coroutine yields is the future it waits on. For a body read, that future is Granian's own
`PyFutureAwaitable`, which keeps both its result (the body) and its done-callback (the waker, and through
it the whole request coroutine): about 1.3 KB lost per POST, without bound under a load test.

The reference leaks whatever object it is, so the fix is to make it always the same object. `relayed()`
wraps a coroutine; whenever the coroutine yields a future, the wrapper hands Granian the one `_Relay`
instead, and the relay passes Granian's done-callback on to the real future. The relay's reference count
grows by one per wait, which costs no memory; the real future is freed as usual.

Only waits pay: a static GET never awaits, so it runs exactly as before. In asyncio mode `wait_for_mode`
returns the identity, and nothing changes at all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Coroutine, Generator
from typing import Any, TypeVar

T = TypeVar("T")


class _Relay:
    """The only object Granian's Rust scheduler ever receives from a relayed coroutine. Between the yield and
    Granian's `add_done_callback` nothing else runs (both happen inside one `send` on the loop thread), so
    one slot for the future being waited on is enough."""

    __slots__ = ("_asyncio_future_blocking", "waiting")

    def __init__(self) -> None:
        self._asyncio_future_blocking = False
        self.waiting: Any = None

    def add_done_callback(self, fn: Callable[[Any], object], *, context: Any = None) -> None:
        future, self.waiting = self.waiting, None
        # The callback gets the real future: Granian's waker calls `.result()` on it and resumes or throws.
        future.add_done_callback(fn, context=context)


_RELAY = _Relay()


class Relayed(Generator[Any, Any, T]):
    """Drives a coroutine for Granian's Rust scheduler and shows it `_RELAY` in place of every future the
    coroutine waits on. Used as `await relayed(coro)`; nesting is harmless (an inner relay's yield passes
    through unchanged)."""

    __slots__ = ("_coro",)

    def __init__(self, coro: Coroutine[Any, Any, T]) -> None:
        self._coro = coro

    def __await__(self) -> Relayed[T]:
        return self

    def __iter__(self) -> Relayed[T]:
        return self

    def __next__(self) -> Any:
        return _shown(self._coro.send(None))

    def send(self, value: Any) -> Any:
        return _shown(self._coro.send(value))

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:  # type: ignore[override]
        # Granian throws the awaited future's exception (or a cancellation) into the task: pass it on.
        if val is None and tb is None:
            return _shown(self._coro.throw(typ))
        return _shown(self._coro.throw(typ, val, tb))

    def close(self) -> None:
        self._coro.close()


def _shown(yielded: Any) -> Any:
    """What Granian sees for a value the coroutine yielded: a bare `yield` (None) and an inner relay as they
    are, any future as the relay, carrying the future's blocking flag as an asyncio Task would read it."""
    if yielded is None or yielded is _RELAY:
        return yielded
    relay = _RELAY
    relay.waiting = yielded
    relay._asyncio_future_blocking = bool(getattr(yielded, "_asyncio_future_blocking", False))
    yielded._asyncio_future_blocking = False
    return relay


def relayed(coro: Coroutine[Any, Any, T]) -> Relayed[T]:
    return Relayed(coro)


def _as_is(coro: T) -> T:
    return coro


def uses_rust_tasks(task_impl: str) -> bool:
    """Whether Granian really runs Rust tasks for this setting: they only exist below Python 3.12."""
    return task_impl == "rust" and sys.version_info < (3, 12)


def wait_for_mode(task_impl: str) -> Callable[[Coroutine[Any, Any, Any]], Any]:
    """The wrapper the mock app puts around each of its waits: `relayed` under Rust tasks, else the
    identity (an asyncio Task releases what it waits on, and would refuse the relay: it has no loop)."""
    return relayed if uses_rust_tasks(task_impl) else _as_is
