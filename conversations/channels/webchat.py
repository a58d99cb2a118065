"""The web chat channel: session identity, rate limits, framing policy and the page's view of a TurnResult.

Identity: the server makes up the sender ("web-…", random) and hands the page a signed token that
names it and the assistant. The page sends the token back in a header on every request, so the
client can only ever speak as the sender it was given, never as a phone number or a sender it
picks. A header, not a cookie, carries it because the chat also runs in an iframe on other sites,
where browsers withhold or partition cookies; and since a header is never sent by the browser on its
own, another site cannot forge a request with it (it is the CSRF defence too).
"""

import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.utils.csp import CSP, build_policy

from conversations.models import FAQ, Assistant, Channel, Conversation, Message, MessageRole
from conversations.ratelimit import count_request
from conversations.templatetags.replies import percent, pesos, pesos_cents, thousands, years
from nlu import language

logger = logging.getLogger(__name__)

SESSION_HEADER = "X-Webchat-Session"
SESSION_SALT = "conversations.webchat.session"
SENDER_PREFIX = "web-"
CARDS_PER_MESSAGE = 10
HISTORY_LIMIT = 100
ORIGIN_PATTERN = re.compile(r"https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?")


# --- Identity ------------------------------------------------------------------


class SessionError(Exception):
    """The request carries no valid web chat session. `code` and `detail` go to the client."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class WebSession:
    sender: str
    assistant: str


def session_new(assistant: Assistant) -> tuple[WebSession, str]:
    """A fresh sender for `assistant` and the signed token that proves it."""
    session = WebSession(sender=SENDER_PREFIX + secrets.token_urlsafe(18), assistant=assistant.slug)
    token = signing.dumps({"s": session.sender, "a": session.assistant}, salt=SESSION_SALT, compress=True)
    return session, token


def session_from_token(token: str, assistant: Assistant) -> WebSession:
    """The session a token names; raises SessionError when it is missing, forged, expired or for another assistant."""
    if not token:
        raise SessionError("session_required", "Falta la sesión del chat. Recarga la página para empezar.")
    try:
        data = signing.loads(token, salt=SESSION_SALT, max_age=settings.WEBCHAT_SESSION_MAX_AGE)
    except signing.SignatureExpired:
        raise SessionError("session_expired", "Tu sesión del chat expiró. Recarga la página.") from None
    except signing.BadSignature:
        raise SessionError("session_invalid", "La sesión del chat no es válida. Recarga la página.") from None
    sender, slug = (data.get("s"), data.get("a")) if isinstance(data, dict) else (None, None)
    if not isinstance(sender, str) or not sender.startswith(SENDER_PREFIX) or slug != assistant.slug:
        raise SessionError("session_invalid", "La sesión del chat no es válida. Recarga la página.")
    return WebSession(sender=sender, assistant=slug)


# --- Rate limits -------------------------------------------------------------------


def rate_limit_wait(scope: str, key: str, limit: int) -> int:
    """Count one request of `key` in `scope`; the seconds to wait when over `limit` per minute, else 0."""
    if limit <= 0:
        return 0
    window = count_request(f"webchat:{scope}", key)
    return window.retry_after if window.over(limit) else 0


# --- Framing and content security policy --------------------------------------------


def allowed_frame_origins() -> list[str]:
    """The origins from WEBCHAT_ALLOWED_ORIGINS that are well formed (a bad entry could break the CSP header)."""
    origins = []
    for origin in settings.WEBCHAT_ALLOWED_ORIGINS:
        origin = origin.strip().rstrip("/")
        if ORIGIN_PATTERN.fullmatch(origin):
            origins.append(origin)
        elif origin:
            logger.warning("WEBCHAT_ALLOWED_ORIGINS: %r is not an origin like https://example.com; ignored", origin)
    return origins


def chat_page_policy() -> dict[str, list[str]]:
    """Our own scripts and styles only; photos may come from the catalog's image host (https)."""
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF],
        "style-src": [CSP.SELF],
        "img-src": [CSP.SELF, "data:", "https:"],
        "connect-src": [CSP.SELF],
        "frame-ancestors": [CSP.SELF, *allowed_frame_origins()],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "object-src": [CSP.NONE],
    }


def apply_page_security(response: HttpResponse) -> HttpResponse:
    """CSP for the chat page, and framing only by this site and the allowed origins.

    X-Frame-Options cannot name other origins, so it is sent only when no other origin may frame the
    page; where it is absent, browsers follow frame-ancestors. A site-wide CSP middleware keeps this header.
    """
    response.headers[str(CSP.HEADER_ENFORCE)] = build_policy(chat_page_policy())
    if allowed_frame_origins():
        response.xframe_options_exempt = True
    else:
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def apply_api_security(response: HttpResponse) -> HttpResponse:
    response.headers[str(CSP.HEADER_ENFORCE)] = "default-src 'none'; frame-ancestors 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Quick replies --------------------------------------------------------------


@dataclass(frozen=True)
class QuickReply:
    label: str  # what the button says
    message: str  # what it sends, phrased so the assistant understands it
    takes: str = ""  # the offer (a pending question) it takes, as "Sí" would: not shown beside "Sí"

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "message": self.message}


SEE_CARS = QuickReply("Ver autos", "¿Qué autos tienen?")
SEE_MORE_CARS = QuickReply("Ver más autos", "¿Qué otros autos tienen?")
MONTHLY_PAYMENT = QuickReply("Calcular mensualidad", "Calcular mensualidad", takes="offer_financing")
WANT_IT = QuickReply("Lo quiero", "Lo quiero", takes="offer_lead")
SALES_ADVISOR = QuickReply("Hablar con un asesor", "Quiero hablar con un asesor", takes="offer_handoff")
HR_PERSON = QuickReply("Hablar con alguien de RH", "Quiero hablar con alguien de RH", takes="offer_handoff")
FAQ_SUGGESTIONS = 3
# Which replies close with a yes/no offer, and what "Sí" / "No" send: data, beside the engine's language.
OFFERS = language.load("offers")
YES_NO_OFFERS = frozenset(OFFERS.table("yes_no_offers"))
ACCEPT = QuickReply(**OFFERS.table("answers")["accept"])
DECLINE = QuickReply(**OFFERS.table("answers")["decline"])


def quick_replies(
    assistant: Assistant, turn: dict[str, Any] | None = None, pending: str | None = None
) -> list[dict[str, str]]:
    """The usual next steps after `turn` (None: the greeting), led by "Sí" / "No" when the reply closed with
    a yes/no offer (`pending`: the question the dialogue waits an answer for). None while a person has it."""
    if turn and turn.get("handoff"):
        return []
    replies = _sales_replies(turn) if assistant.is_sales else _onboarding_replies(assistant, turn)
    if pending in YES_NO_OFFERS:
        replies = [ACCEPT, DECLINE, *(reply for reply in replies if reply.takes != pending)]
    return [reply.as_json() for reply in replies]


def conversation_quick_replies(assistant: Assistant, conversation: Conversation | None) -> list[dict[str, str]]:
    """The quick replies after the conversation's last answer (the greeting's when there is none yet)."""
    if conversation is None:
        return quick_replies(assistant)
    last_turn = (
        conversation.messages.filter(role=MessageRole.BOT).order_by("-pk").values_list("payload", flat=True).first()
    )
    turn = {**(last_turn or {}), "handoff": conversation.handoff}
    return quick_replies(assistant, turn, pending=(conversation.state or {}).get("pending"))


def _sales_replies(turn: dict[str, Any] | None) -> list[QuickReply]:
    if turn and turn.get("lead"):
        return [SEE_MORE_CARS, SALES_ADVISOR]
    if turn and turn.get("financing"):
        return [WANT_IT, SEE_CARS, SALES_ADVISOR]
    return [SEE_CARS, MONTHLY_PAYMENT, SALES_ADVISOR]


def _onboarding_replies(assistant: Assistant, turn: dict[str, Any] | None) -> list[QuickReply]:
    """The first questions of the knowledge base, less the one just answered, and a person."""
    answered = (turn or {}).get("faq") or {}
    faqs = FAQ.objects.filter(assistant=assistant, is_active=True).exclude(pk=answered.get("id"))
    questions = faqs.values_list("question", flat=True)[:FAQ_SUGGESTIONS]
    return [QuickReply(question, question) for question in questions] + [HR_PERSON]


# --- Rendering a turn for the page ---------------------------------------------------


def vehicle_title(vehicle: dict[str, Any]) -> str:
    return f"{vehicle.get('make', '')} {vehicle.get('model', '')} {vehicle.get('year', '')}".strip()


def vehicle_view(vehicle: dict[str, Any]) -> dict[str, Any]:
    """A vehicle card: what it shows (money as the contract writes it) and what its buttons send."""
    title = vehicle_title(vehicle)
    return {
        "stock_id": str(vehicle.get("stock_id", "")),
        "title": title,
        "version": vehicle.get("version") or "",
        "km": f"{thousands(vehicle.get('km') or 0)} km",
        "price": pesos(vehicle.get("price") or 0),
        "photo_url": _safe_photo_url(vehicle.get("photo_url") or ""),
        "details_message": f"Quiero ver los detalles del {title}",
        "financing_message": f"Calcular la mensualidad del {title}",
    }


def _safe_photo_url(url: str) -> str:
    """Only https (or this site's own paths): the page's CSP would block anything else anyway."""
    return url if url.startswith("https://") or (url.startswith("/") and not url.startswith("//")) else ""


def plans_view(plans: list[dict[str, Any]], slots: dict[str, Any]) -> dict[str, Any] | None:
    """The financing table: one row per term."""
    if not plans:
        return None
    first = plans[0]
    vehicle = " ".join(str(slots[key]) for key in ("make", "model") if slots.get(key))
    return {
        "vehicle": vehicle,
        "price": pesos(first["price"]),
        "loan_amount": pesos_cents(first["loan_amount"]),
        "annual_rate": percent(first["annual_rate"]),
        "rows": [
            {
                "term": f"{plan['term_months']} meses",
                "term_years": years(plan["term_months"]),
                "term_months": int(plan["term_months"]),
                "monthly_payment": pesos_cents(plan["monthly_payment"]),
                "down_payment": pesos_cents(plan["down_payment"]),
                "total_paid": pesos_cents(plan["total_paid"]),
            }
            for plan in plans
        ],
    }


def reply_text(turn: dict[str, Any]) -> str:
    """The reply, less the bullet lines that the cards or the financing table already show."""
    text = turn.get("reply") or ""
    if not (turn.get("vehicles") or turn.get("alternatives") or turn.get("financing")):
        return text
    if turn.get("intent") not in ("search_vehicles", "financing"):
        return text
    kept = [line for line in text.splitlines() if not line.lstrip().startswith("•")]
    return "\n".join(line for line in kept if line.strip())


def turn_view(turn: dict[str, Any]) -> dict[str, Any]:
    """A bot message as the page draws it, from a TurnResult's dict (live, or stored as the message payload)."""
    slots = turn.get("slots") or {}
    faq = turn.get("faq")
    lead = turn.get("lead")
    return {
        "role": MessageRole.BOT.value,
        "text": reply_text(turn),
        "intent": turn.get("intent", ""),
        "vehicles": [vehicle_view(vehicle) for vehicle in (turn.get("vehicles") or [])[:CARDS_PER_MESSAGE]],
        "vehicles_total": int(turn.get("vehicles_total") or 0),
        "alternatives": [vehicle_view(vehicle) for vehicle in (turn.get("alternatives") or [])[:CARDS_PER_MESSAGE]],
        "financing": plans_view(turn.get("financing") or [], slots),
        "faq": {"question": faq.get("question", "")} if isinstance(faq, dict) else None,
        "lead": {"folio": lead.get("folio", "")} if isinstance(lead, dict) else None,
        "handoff": bool(turn.get("handoff")),
    }


def message_view(message: Message) -> dict[str, Any]:
    if message.role == MessageRole.BOT and message.payload:
        view = turn_view(message.payload)
    else:
        view = {"role": message.role, "text": message.text}
    return {"id": message.pk, **view}


# --- Reads -------------------------------------------------------------------------


def web_conversation(assistant: Assistant, session: WebSession) -> Conversation | None:
    return Conversation.objects.filter(assistant=assistant, channel=Channel.WEB, sender=session.sender).first()


def conversation_messages(conversation: Conversation, *, after: int = 0) -> list[Message]:
    """The latest messages (oldest first), or those after the message id `after`."""
    messages = conversation.messages.all()
    if after:
        return list(messages.filter(pk__gt=after).order_by("pk")[:HISTORY_LIMIT])
    return list(reversed(messages.order_by("-pk")[:HISTORY_LIMIT]))


def last_message_id(conversation: Conversation | None) -> int:
    if conversation is None:
        return 0
    return conversation.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
