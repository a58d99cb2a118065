"""One turn through the model, in two steps so no database transaction waits on the network.

`prepare_llm_turn` talks to the model (at most `max_calls` requests, all before the turn's
deadline), runs the read-only tools it asks for and passes its reply through the grounding
guard. `PreparedTurn.finish`, called inside the turn's transaction, either writes the pending
lead and returns the model's result, or — when anything went wrong before any write — puts
the dialogue state back and returns the rules engine's answer. `llm_turn` does both.
"""

import copy
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from conversations.engine.dialogue import TurnContext
from conversations.engine.llm.client import Completion, KeyRejected, LlmClient, LlmUnavailable
from conversations.engine.llm.config import LlmConfig, llm_config_for
from conversations.engine.llm.grounding import Facts, check_reply
from conversations.engine.llm.prompt import build_messages, instructions_for, turn_context
from conversations.engine.llm.tools import FOLIO_PLACEHOLDER, MalformedToolCall, ToolSession
from conversations.engine.result import TurnResult
from kvky_site.metrics import FALLBACKS
from nlu.pipeline import Reading
from nlu.state import DialogueState

logger = logging.getLogger(__name__)

RulesResultFactory = Callable[[], TurnResult]
_PLACEHOLDER = re.compile(re.escape(FOLIO_PLACEHOLDER), re.IGNORECASE)


@dataclass
class PreparedTurn:
    reading: Reading
    ctx: TurnContext
    config: LlmConfig
    snapshot: DialogueState  # the state before the model's tools touched it
    session: ToolSession
    reply: str = ""  # the model's reply, once it passed the guard
    fallback: str = ""  # why the model's reply is not used: deadline, rate_limited, circuit_open, grounding…
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model_latency_ms: float = 0.0
    grounding_events: list[dict[str, str]] = field(default_factory=list)

    def add_usage(self, completion: Completion) -> None:
        self.prompt_tokens += completion.prompt_tokens
        self.completion_tokens += completion.completion_tokens
        self.model_latency_ms += completion.latency_ms

    def finish(self, rules_result_factory: RulesResultFactory) -> TurnResult:
        """The turn's result; run it inside the transaction that stores the reply."""
        session = self.session
        if session.pending_lead is not None:
            rules_words = session.commit_lead()
            folio = session.lead["folio"] if session.lead else ""
            reply = rules_words if self.fallback else _PLACEHOLDER.sub(folio, self.reply)
            return self._done(self._model_result(reply))
        if self.fallback:
            _restore(self.ctx.state, self.snapshot)
            return rules_result_factory()
        return self._done(self._model_result(self.reply))

    def message_fields(self) -> dict[str, Any]:
        """What the bot message stores about the model's work."""
        return {
            "llm_model": self.config.model[:100],
            "llm_calls": self.calls,
            "llm_prompt_tokens": self.prompt_tokens,
            "llm_completion_tokens": self.completion_tokens,
            "llm_latency_ms": round(self.model_latency_ms, 2) if self.calls else None,
            "llm_fallback": self.fallback,
            "grounding_events": self.grounding_events,
        }

    def _model_result(self, reply: str) -> TurnResult:
        session = self.session
        return TurnResult(
            reply=reply,
            intent=session.intent() or self.reading.intent,
            slots={**session.slots, **self.reading.slots},
            vehicles=session.vehicles,
            vehicles_total=session.vehicles_total,
            alternatives=session.alternatives,
            financing=session.financing,
            faq=session.faq,
            lead=session.lead,
            handoff=session.handoff,
        )

    def _done(self, result: TurnResult) -> TurnResult:
        """The bookkeeping `decide` does for the rules engine's turns."""
        state, ctx = self.ctx.state, self.ctx
        state.pending = None
        state.misunderstood = state.misunderstood + 1 if result.intent == "out_of_scope" else 0
        state.last_intent = result.intent
        result.assistant = ctx.assistant.slug
        result.conversation = str(ctx.conversation.pk) if ctx.conversation else ""
        return result


def _restore(state: DialogueState, snapshot: DialogueState) -> None:
    """Put the state back in place: the caller saves the very object it gave the context."""
    for state_field in fields(DialogueState):
        setattr(state, state_field.name, copy.deepcopy(getattr(snapshot, state_field.name)))


def _facts(turn: PreparedTurn, context: dict[str, Any]) -> Facts:
    facts = Facts()
    facts.absorb(turn.session.outputs)
    # What the catalog and the calculator said, not what the customer wrote: "el onix cuesta 100 mil, ¿verdad?"
    # must not ground a price of $100,000.
    facts.absorb({key: value for key, value in context.items() if key != "slots"})
    facts.absorb(turn.snapshot.last_plans)  # plans the calculator gave earlier in the conversation
    assistant, terms = turn.ctx.assistant, turn.ctx.terms
    facts.absorb([assistant.greeting, assistant.persona, assistant.value_proposition])
    facts.absorb([assistant.locations_text, assistant.help_text])
    facts.absorb(
        {
            "annual_rate": terms.annual_rate,
            "default_down_payment_pct": terms.default_down_payment_pct,
            "min_down_payment_pct": terms.min_down_payment_pct,
        }
    )
    return facts


def _tool_message(call_id: str, output: dict[str, Any]) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": call_id, "content": json.dumps(output, ensure_ascii=False, default=str)}


def _converse(client: LlmClient, messages: list[dict[str, Any]], turn: PreparedTurn, deadline: float) -> str:
    """Call the model until it answers in words; tools run in between. Raises when the budget runs out."""
    session, max_calls = turn.session, turn.config.max_calls
    schemas = list(session.schemas.values())
    rejected: LlmUnavailable | None = None
    for number in range(max_calls):
        last = number == max_calls - 1
        try:
            completion = client.complete(
                messages, tools=schemas, tool_choice="none" if last else "auto", deadline=deadline
            )
        except KeyRejected as error:
            rejected = error  # another key may still answer within the budget
            continue
        rejected = None
        turn.add_usage(completion)
        if not completion.tool_calls:
            return completion.text
        messages.append(completion.as_message())
        for call in completion.tool_calls:
            messages.append(_tool_message(call.id, session.run(call.name, call.arguments)))
    raise rejected or LlmUnavailable("call_budget", f"still calling tools after {max_calls} calls")


def _guard(turn: PreparedTurn, reply: str, context: dict[str, Any]) -> None:
    events = check_reply(
        reply,
        facts=_facts(turn, context),
        user_text=turn.reading.text,
        instructions=instructions_for(turn.ctx),
        folio=FOLIO_PLACEHOLDER if turn.session.pending_lead is not None else None,
        sales=turn.ctx.assistant.is_sales,
    )
    if events:
        turn.grounding_events = [event.as_dict() for event in events]
        raise LlmUnavailable("grounding", "; ".join(f"{event.check} {event.value}" for event in events))
    turn.reply = reply


def prepare_llm_turn(reading: Reading, ctx: TurnContext, *, config: LlmConfig | None = None) -> PreparedTurn | None:
    """Ask the model; None when no model is configured for the assistant. Writes nothing."""
    config = config or llm_config_for(ctx.assistant)
    if config is None:
        return None
    turn = PreparedTurn(reading, ctx, config, snapshot=copy.deepcopy(ctx.state), session=ToolSession(ctx, reading))
    deadline = time.monotonic() + config.deadline_seconds
    client = LlmClient(config)
    try:
        context = turn_context(reading, ctx)
        messages = build_messages(reading, ctx, context=context, history_budget=config.history_token_budget)
        _guard(turn, _converse(client, messages, turn, deadline), context)
    except MalformedToolCall as error:
        turn.fallback = "malformed"
        logger.warning("LLM turn answered by the rules engine: malformed tool call (%s)", error)
    except LlmUnavailable as error:
        turn.fallback = error.reason
        logger.warning("LLM turn answered by the rules engine: %s", error)
    except Exception:
        turn.fallback = "error"
        logger.exception("LLM turn answered by the rules engine: unexpected error")
    turn.calls = client.requests_made
    if turn.fallback:
        FALLBACKS.labels(assistant=ctx.assistant.slug, reason=f"llm_{turn.fallback}").inc()
    return turn


def llm_turn(
    reading: Reading, ctx: TurnContext, *, rules_result_factory: RulesResultFactory, config: LlmConfig | None = None
) -> TurnResult:
    """The turn's result through the model, or the rules engine's when the model fails or is not configured."""
    turn = prepare_llm_turn(reading, ctx, config=config)
    return rules_result_factory() if turn is None else turn.finish(rules_result_factory)
