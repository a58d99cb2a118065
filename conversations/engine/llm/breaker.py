"""A circuit breaker per model endpoint: a hanging or failing model stops costing every turn its deadline.

After `failures` consecutive failures (no answer before the deadline, a 5xx, no connection) the breaker
opens: calls are refused at once and the rules engine answers. After `cooldown_seconds` one probe call is
let through (half-open): an answer closes the breaker, a failure opens it again for another cool-down.
Any answer from the endpoint, a 4xx included, proves it is up and resets the count. State is per
process and shared by its threads.
"""

import threading
import time
from collections.abc import Callable
from enum import StrEnum

from kvky_site.metrics import LLM_BREAKER_OPEN, LLM_BREAKER_OPENINGS, LLM_BREAKER_SKIPPED


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(
        self,
        failures: int,
        cooldown_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.failures = max(1, failures)
        self.cooldown_seconds = max(0.0, cooldown_seconds)
        self._clock = clock
        self._on_change = on_change  # told after the state moved between closed and not closed
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._since = 0.0  # when it opened, or when the probe went out while half-open

    @property
    def state(self) -> BreakerState:
        with self._lock:
            return self._state

    def allow(self) -> bool:
        """Whether a call may go out now; while half-open, only the one probe may."""
        with self._lock:
            if self._state is BreakerState.CLOSED:
                return True
            # Measured from the probe too: a probe whose outcome never came back must not shut it for good.
            if self._clock() - self._since >= self.cooldown_seconds:
                self._state, self._since = BreakerState.HALF_OPEN, self._clock()
                return True
        LLM_BREAKER_SKIPPED.inc()
        return False

    def succeeded(self) -> None:
        """The endpoint answered (a 4xx counts: it is up)."""
        with self._lock:
            was_closed = self._state is BreakerState.CLOSED
            self._state, self._consecutive = BreakerState.CLOSED, 0
        if not was_closed:
            self._changed()

    def failed(self) -> None:
        """No answer in time, a 5xx, or no connection."""
        with self._lock:
            self._consecutive += 1
            was_closed = self._state is BreakerState.CLOSED
            opens = self._state is BreakerState.HALF_OPEN or (was_closed and self._consecutive >= self.failures)
            if opens:
                self._state, self._since = BreakerState.OPEN, self._clock()
        if opens:
            LLM_BREAKER_OPENINGS.inc()
        if opens and was_closed:
            self._changed()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def _publish_open_count() -> None:
    with _breakers_lock:
        breakers = list(_breakers.values())
    LLM_BREAKER_OPEN.set(sum(1 for breaker in breakers if breaker.state is not BreakerState.CLOSED))


def breaker_for(base_url: str, *, failures: int, cooldown_seconds: float) -> CircuitBreaker:
    """The process's breaker for one endpoint; its thresholds follow the current settings."""
    with _breakers_lock:
        breaker = _breakers.get(base_url)
        if breaker is None:
            breaker = _breakers[base_url] = CircuitBreaker(failures, cooldown_seconds, on_change=_publish_open_count)
        breaker.failures, breaker.cooldown_seconds = max(1, failures), max(0.0, cooldown_seconds)
        return breaker


def reset_breakers() -> None:
    """Forget every breaker (tests; a deploy that changed its endpoint)."""
    with _breakers_lock:
        _breakers.clear()
    _publish_open_count()
