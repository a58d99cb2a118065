"""Which model answers an assistant's turns: the operator's endpoint and keys; the model name may be per assistant."""

from dataclasses import dataclass

from django.conf import settings

from conversations.models import Assistant

OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"


@dataclass(frozen=True)
class LlmConfig:
    api_keys: tuple[str, ...]
    base_url: str
    model: str
    deadline_seconds: float = 8.0
    max_calls: int = 3
    history_token_budget: int = 1500
    key_cooldown_seconds: float = 60.0
    max_reply_tokens: int = 500
    breaker_failures: int = 3
    breaker_cooldown_seconds: float = 30.0


def llm_config_for(assistant: Assistant) -> LlmConfig | None:
    """The assistant's model settings, or None when no key is configured or the assistant opted out."""
    keys = tuple(key.strip() for key in getattr(settings, "OPENAI_API_KEYS", ()) if key and key.strip())
    if not keys or not assistant.llm_enabled:
        return None
    return LlmConfig(
        api_keys=keys,
        # Only the operator's endpoint: the keys are sent to it and to nothing else.
        base_url=(settings.OPENAI_BASE_URL or OPENAI_DEFAULT_BASE_URL).rstrip("/"),
        model=assistant.llm_model or settings.OPENAI_MODEL,
        deadline_seconds=float(settings.LLM_TURN_DEADLINE_SECONDS),
        max_calls=max(1, int(settings.LLM_MAX_CALLS_PER_TURN)),
        history_token_budget=max(0, int(settings.LLM_HISTORY_TOKEN_BUDGET)),
        key_cooldown_seconds=float(settings.LLM_KEY_COOLDOWN_SECONDS),
        breaker_failures=int(settings.LLM_BREAKER_FAILURES),
        breaker_cooldown_seconds=float(settings.LLM_BREAKER_COOLDOWN_SECONDS),
    )
