"""Chat Completions over the openai SDK: one request per call, keys rotated, a rejected key cooled down.

The SDK's own retries are off: the turn decides whether another call fits its budget. Each
request runs in a worker thread so the turn's deadline holds even against a server that
trickles bytes slowly enough to dodge the socket timeouts.
"""

import functools
import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

from conversations.engine.llm.breaker import breaker_for
from conversations.engine.llm.config import LlmConfig
from kvky_site.metrics import LLM_ERRORS, LLM_LATENCY

if TYPE_CHECKING or settings.OPENAI_API_KEYS:
    # Importing the SDK takes a second or two: a process that will call a model pays it at start-up,
    # not in a customer's turn; a process without a key never pays it.
    import openai

AUTH_COOLDOWN_SECONDS = 600.0  # a revoked or mistyped key stays out longer than a rate-limited one
MAX_RETRY_AFTER_SECONDS = 3600.0
_POOL = ThreadPoolExecutor(max_workers=16, thread_name_prefix="llm-call")


class LlmUnavailable(Exception):
    """The model gave no usable answer; `reason` says why (stored on the message as the fallback reason)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class KeyRejected(LlmUnavailable):
    """The key was refused (429, 401, 403) and is cooling down; another key may still answer."""


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # raw JSON text as the model wrote it; tools.py validates it


@dataclass
class Completion:
    text: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0

    def as_message(self) -> dict[str, Any]:
        """The assistant message to send back with the tool results."""
        message: dict[str, Any] = {"role": "assistant", "content": self.text or None}
        if self.tool_calls:
            message["tool_calls"] = [
                {"id": call.id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}
                for call in self.tool_calls
            ]
        return message


class KeyRing:
    """Round-robin over the configured keys, skipping those cooling down. Shared by the process's threads."""

    def __init__(self, keys: tuple[str, ...], clock=time.monotonic) -> None:
        self._keys = keys
        self._clock = clock
        self._cycle = itertools.cycle(range(len(keys)))
        self._cool_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def next_key(self) -> str | None:
        """The next usable key, or None when every key is cooling down."""
        with self._lock:
            now = self._clock()
            for _ in range(len(self._keys)):
                key = self._keys[next(self._cycle)]
                if self._cool_until.get(key, 0.0) <= now:
                    return key
            return None

    def cool_down(self, key: str, seconds: float) -> None:
        with self._lock:
            self._cool_until[key] = max(self._cool_until.get(key, 0.0), self._clock() + seconds)

    def cooling(self) -> int:
        with self._lock:
            now = self._clock()
            return sum(1 for until in self._cool_until.values() if until > now)


_rings: dict[tuple[str, ...], KeyRing] = {}
_rings_lock = threading.Lock()


def key_ring_for(keys: tuple[str, ...]) -> KeyRing:
    with _rings_lock:
        ring = _rings.get(keys)
        if ring is None:
            ring = _rings[keys] = KeyRing(keys)
        return ring


def reset_key_rings() -> None:
    """Forget every cool-down (tests; a deploy that rotated its keys)."""
    with _rings_lock:
        _rings.clear()


@functools.lru_cache(maxsize=32)
def _sdk_client(base_url: str, api_key: str) -> "openai.OpenAI":
    import openai

    # The SDK client keeps a connection pool: one per endpoint and key, reused across turns.
    return openai.OpenAI(api_key=api_key, base_url=base_url, max_retries=0)


def _retry_after(error: "openai.APIStatusError", default: float) -> float:
    value = error.response.headers.get("retry-after") if error.response is not None else None
    try:
        seconds = float(value) if value is not None else default
    except ValueError:
        seconds = default
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


class LlmClient:
    def __init__(self, config: LlmConfig) -> None:
        self.config = config
        self.keys = key_ring_for(config.api_keys)
        self.breaker = breaker_for(
            config.base_url, failures=config.breaker_failures, cooldown_seconds=config.breaker_cooldown_seconds
        )
        self.requests_made = 0

    def complete(
        self, messages: list[dict[str, Any]], *, tools: list[dict[str, Any]], tool_choice: str, deadline: float
    ) -> Completion:
        """One Chat Completions request answered before `deadline` (a time.monotonic() value).

        Raises LlmUnavailable (reason "circuit_open" at once while the endpoint's breaker is open), or
        KeyRejected when another key may still answer.
        """
        import openai  # noqa: F401 - already imported where a key is configured; here it counts against the deadline

        key = self.keys.next_key()
        if key is None:
            raise LlmUnavailable("rate_limited", "every key is cooling down")
        timeout = deadline - time.monotonic()
        if timeout <= 0:
            raise LlmUnavailable("deadline")
        if not self.breaker.allow():
            raise LlmUnavailable("circuit_open", "the model failed repeatedly; skipping it for the cool-down")
        started = time.perf_counter()
        self.requests_made += 1
        try:
            response = self._send(key, messages, tools, tool_choice, timeout)
            seconds = time.perf_counter() - started
            completion = _completion(response, latency_ms=seconds * 1000)
        except LlmUnavailable as error:
            LLM_ERRORS.labels(reason=error.reason).inc()
            raise
        LLM_LATENCY.observe(seconds)
        return completion

    def _send(
        self, key: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]], tool_choice: str, timeout: float
    ) -> Any:
        import openai

        future = _POOL.submit(self._request, key, messages, tools, tool_choice, timeout)
        # The breaker hears of every outcome: silence, a 5xx or no connection count against the endpoint;
        # any other answer, a 4xx included, shows it is up.
        try:
            response = future.result(timeout=timeout)
        except (FutureTimeout, openai.APITimeoutError):
            future.cancel()
            self.breaker.failed()
            raise LlmUnavailable("deadline", f"no answer within {timeout:.2f} s") from None
        except openai.RateLimitError as error:
            self.breaker.succeeded()
            self.keys.cool_down(key, _retry_after(error, self.config.key_cooldown_seconds))
            raise KeyRejected("rate_limited", str(error.status_code)) from None
        except (openai.AuthenticationError, openai.PermissionDeniedError) as error:
            self.breaker.succeeded()
            self.keys.cool_down(key, AUTH_COOLDOWN_SECONDS)
            raise KeyRejected("auth", str(error.status_code)) from None
        except openai.APIStatusError as error:
            if error.status_code >= 500:
                self.breaker.failed()
            else:
                self.breaker.succeeded()
            raise LlmUnavailable("error", f"HTTP {error.status_code}") from None
        except openai.APIConnectionError as error:
            self.breaker.failed()
            raise LlmUnavailable("error", type(error).__name__) from None
        except openai.OpenAIError as error:
            self.breaker.succeeded()  # e.g. an answer the SDK could not read: the endpoint is up
            raise LlmUnavailable("error", type(error).__name__) from None
        self.breaker.succeeded()
        return response

    def _request(
        self, key: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]], tool_choice: str, timeout: float
    ) -> Any:
        options: dict[str, Any] = {"tools": tools, "tool_choice": tool_choice} if tools else {}
        return _sdk_client(self.config.base_url, key).chat.completions.create(
            model=self.config.model,
            messages=messages,
            max_tokens=self.config.max_reply_tokens,
            timeout=timeout,
            **options,
        )


def _completion(response: Any, *, latency_ms: float) -> Completion:
    if not getattr(response, "choices", None):
        raise LlmUnavailable("malformed", "no choices in the answer")
    message = response.choices[0].message
    calls = [
        ToolCall(id=call.id or f"call_{index}", name=call.function.name or "", arguments=call.function.arguments or "")
        for index, call in enumerate(message.tool_calls or [])
        if getattr(call, "function", None) is not None
    ]
    if message.tool_calls and len(calls) != len(message.tool_calls):
        raise LlmUnavailable("malformed", "a tool call that is not a function call")
    usage = response.usage
    return Completion(
        text=(message.content or "").strip(),
        tool_calls=calls,
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        latency_ms=round(latency_ms, 2),
    )
