"""The model's tools: JSON schemas, argument validation, and dispatch to the functions the rules engine uses.

The schemas tell the model the assistant's bounds, but nothing the model (or a customer
talking to it) writes can change them: there is no rate argument, unknown arguments make the
call malformed, and term and down payment pass through the same calculator checks as the
rules engine's plans. A `ToolSession` keeps what the tools returned during one turn: the
TurnResult's vehicles, plans, FAQ and lead come from there, never from the model's text.

The tools only read while the model talks. The one write, a lead, is held as a `PendingLead`
and written by `commit_lead` inside the turn's transaction, after the model has answered: a
turn abandoned to the rules engine has written nothing, so nothing is written twice.
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalog.models import BodyType, Vehicle
from catalog.selectors import (
    VehicleFilters,
    vehicle_alternatives,
    vehicle_card,
    vehicle_search,
    vehicles_by_stock_ids,
    vehicles_matching,
)
from catalog.vocabulary import get_vocabulary
from conversations.engine.dialogue import RESULT_VEHICLES, TurnContext
from conversations.engine.replies import render_reply
from conversations.templatetags.replies import percent, pesos, pesos_cents, thousands
from financing.calculator import FinancingError, financing_plans
from leads.services import lead_create, lead_for_car
from nlu.faq import CONFIDENCE_THRESHOLD
from nlu.normalise import normalise
from nlu.pipeline import Reading

FOLIO_PLACEHOLDER = "[FOLIO]"
MODEL_VEHICLES = 10  # vehicles the model sees from a search; the result keeps up to RESULT_VEHICLES
MAX_MONEY = 100_000_000
SEARCH_CRITERIA = ("make", "model", "body_type", "min_price", "max_price", "year_min", "year_max", "max_km")
# The most consequential tool a turn called names its intent.
INTENT_BY_TOOL = (
    ("create_lead", "create_lead"),
    ("human_handoff", "human_handoff"),
    ("calculate_financing", "financing"),
    ("vehicle_details", "vehicle_details"),
    ("search_vehicles", "search_vehicles"),
    ("search_faq", "faq"),
)


@dataclass
class PendingLead:
    vehicle: Vehicle | None
    plan: dict[str, Any] | None


class MalformedToolCall(Exception):
    """The model asked for a tool that does not exist, or with arguments that do not fit its schema."""


# --- Schemas --------------------------------------------------------------------------------------


def _string(description: str, max_length: int = 80) -> dict[str, Any]:
    return {"type": "string", "maxLength": max_length, "description": description}


def _integer(description: str, minimum: int, maximum: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum, "maximum": maximum, "description": description}


def _function(name: str, description: str, properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict:
    parameters = {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}
    return {"type": "function", "function": {"name": name, "description": description, "parameters": parameters}}


def _sales_tools(ctx: TurnContext) -> list[dict[str, Any]]:
    terms = ctx.terms
    term_text = terms.term_range_text()
    return [
        _function(
            "search_vehicles",
            "Busca autos disponibles en el catálogo, del más barato al más caro. Úsala para cualquier pregunta "
            "sobre qué autos hay, precios o presupuesto.",
            {
                "make": _string("Marca, p. ej. Chevrolet, Volkswagen, Mercedes Benz", 60),
                "model": _string("Modelo, p. ej. Onix, Jetta, CX-5"),
                "body_type": {"type": "string", "enum": list(BodyType.values), "description": "Carrocería"},
                "min_price": _integer("Precio mínimo en pesos", 0, MAX_MONEY),
                "max_price": _integer("Precio máximo (presupuesto) en pesos", 0, MAX_MONEY),
                "year_min": _integer("Año modelo mínimo", 1950, 2100),
                "year_max": _integer("Año modelo máximo", 1950, 2100),
                "max_km": _integer("Kilometraje máximo", 0, 10_000_000),
                "bluetooth": {"type": "boolean", "description": "Solo autos con Bluetooth"},
                "car_play": {"type": "boolean", "description": "Solo autos con CarPlay"},
            },
        ),
        _function(
            "vehicle_details",
            "Datos de un auto (año, versión, kilometraje, precio, equipamiento). Sin argumentos: el auto en foco.",
            {
                "stock_id": _string("El stock_id del auto", 32),
                "make": _string("Marca", 60),
                "model": _string("Modelo"),
                "year": _integer("Año modelo", 1950, 2100),
            },
        ),
        _function(
            "calculate_financing",
            "Calcula las mensualidades de un auto con la calculadora oficial. Nunca calcules tú: usa siempre esta "
            f"herramienta. Plazos permitidos: {term_text}. Enganche mínimo: {percent(terms.min_down_payment_pct)} "
            f"del precio; si no se indica, {percent(terms.default_down_payment_pct)}. Sin plazo: un plan por año.",
            {
                "stock_id": _string("El stock_id del auto; sin él, el auto en foco", 32),
                "term_months": _integer(f"Plazo en meses ({term_text})", 1, 600),
                "down_payment": _integer("Enganche en pesos", 0, MAX_MONEY),
                "down_payment_pct": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 1,
                    "description": "Enganche como fracción del precio, p. ej. 0.3 para 30%",
                },
            },
        ),
        _function(
            "create_lead",
            "Registra la solicitud del cliente (apartar el auto, agendar una cita o que lo contacte un asesor) y "
            "devuelve su folio. Úsala solo cuando el cliente lo pida.",
            {
                "stock_id": _string("El stock_id del auto; sin él, el auto en foco", 32),
                "term_months": _integer("El plazo del plan elegido, si eligió uno", 1, 600),
            },
        ),
    ]


def _common_tools() -> list[dict[str, Any]]:
    return [
        _function(
            "search_faq",
            "Busca la respuesta en las preguntas frecuentes del asistente (garantía, requisitos, pagos, "
            "políticas, beneficios…).",
            {"question": _string("La pregunta del cliente", 300)},
            required=("question",),
        ),
        _function(
            "human_handoff",
            "Pasa la conversación a una persona del equipo cuando el cliente lo pide o no puedes ayudarle.",
            {"reason": _string("Motivo breve", 300)},
        ),
    ]


def tool_schemas(ctx: TurnContext) -> list[dict[str, Any]]:
    sales = _sales_tools(ctx) if ctx.assistant.is_sales else []
    return [*sales, *_common_tools()]


# --- Validation -------------------------------------------------------------------------------------


def _check_value(name: str, value: Any, spec: dict[str, Any]) -> Any:
    kind = spec["type"]
    if kind == "string":
        if not isinstance(value, str) or len(value) > spec.get("maxLength", 300):
            raise MalformedToolCall(f"{name}: se esperaba un texto corto")
        if "enum" in spec and value not in spec["enum"]:
            raise MalformedToolCall(f"{name}: {value!r} no es una opción válida")
        return value.strip()
    if kind == "boolean":
        if not isinstance(value, bool):
            raise MalformedToolCall(f"{name}: se esperaba true o false")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MalformedToolCall(f"{name}: se esperaba un número")
    if kind == "integer":
        if value != int(value):
            raise MalformedToolCall(f"{name}: se esperaba un número entero")
        value = int(value)
    if not spec["minimum"] <= value <= spec["maximum"]:
        raise MalformedToolCall(f"{name}: {value} está fuera de rango")
    return value


def parse_arguments(raw: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments, checked against the tool's schema; MalformedToolCall otherwise."""
    try:
        arguments = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as error:
        raise MalformedToolCall(f"argumentos que no son JSON ({error.msg})") from None
    if not isinstance(arguments, dict):
        raise MalformedToolCall("los argumentos deben ser un objeto JSON")
    parameters = schema["function"]["parameters"]
    properties = parameters["properties"]
    unknown = sorted(set(arguments) - set(properties))
    if unknown:
        raise MalformedToolCall(f"argumentos desconocidos: {', '.join(unknown)}")
    missing = [name for name in parameters["required"] if arguments.get(name) is None]
    if missing:
        raise MalformedToolCall(f"faltan argumentos: {', '.join(missing)}")
    return {name: _check_value(name, value, properties[name]) for name, value in arguments.items() if value is not None}


# --- What the model sees ----------------------------------------------------------------------------


def _brief(card: dict[str, Any]) -> dict[str, Any]:
    return {
        "stock_id": card["stock_id"],
        "make": card["make"],
        "model": card["model"],
        "year": card["year"],
        "version": card["version"],
        "km": thousands(card["km"]),
        "price": pesos(card["price"]),
        "body_type": card["body_type"],
        "bluetooth": card["bluetooth"],
        "car_play": card["car_play"],
    }


def _plan_for_model(plan: dict[str, Any]) -> dict[str, Any]:
    return {
        "term_months": plan["term_months"],
        "price": pesos(plan["price"]),
        "down_payment": pesos_cents(plan["down_payment"]),
        "loan_amount": pesos_cents(plan["loan_amount"]),
        "annual_rate": percent(plan["annual_rate"]),
        "monthly_payment": pesos_cents(plan["monthly_payment"]),
        "total_paid": pesos_cents(plan["total_paid"]),
    }


# --- The session -------------------------------------------------------------------------------------


@dataclass
class ToolSession:
    """One turn's tool calls: runs them against the dialogue state and keeps their results."""

    ctx: TurnContext
    reading: Reading
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    vehicles_total: int = 0
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    financing: list[dict[str, Any]] = field(default_factory=list)
    faq: dict[str, Any] | None = None
    pending_lead: PendingLead | None = None  # written only by commit_lead, inside the turn's transaction
    lead: dict[str, Any] | None = None
    handoff: bool = False
    called: list[str] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)  # what the tools completed: the vehicle, the term
    outputs: list[Any] = field(default_factory=list)  # everything the model was shown, for the grounding guard

    def __post_init__(self) -> None:
        self.schemas = {schema["function"]["name"]: schema for schema in tool_schemas(self.ctx)}

    def commit_lead(self) -> str:
        """Write the pending lead with the same service the rules engine uses; the rules engine's words for it."""
        pending, ctx = self.pending_lead, self.ctx
        if pending is None:
            raise RuntimeError("commit_lead without a pending lead")
        existing = lead_for_car(ctx.conversation, pending.vehicle)  # the same car again: the same lead
        lead = existing or lead_create(
            assistant=ctx.assistant,
            conversation=ctx.conversation,
            vehicle=pending.vehicle,
            plan=pending.plan,
            customer_phone=ctx.sender,
            customer_name=ctx.profile_name,
            request=self.reading.text[:300],
        )
        card = vehicle_card(pending.vehicle) if pending.vehicle else None
        self.lead = {"folio": lead.folio}
        self.vehicles, self.vehicles_total = ([card], 1) if card else ([], 0)
        self.financing = [pending.plan] if pending.plan else []
        plan = None if existing else pending.plan
        return render_reply(
            "lead_created", folio=lead.folio, vehicle=card, plan=plan, name=ctx.profile_name, already=bool(existing)
        )

    def intent(self) -> str | None:
        return next((intent for tool, intent in INTENT_BY_TOOL if tool in self.called), None)

    def run(self, name: str, raw_arguments: str) -> dict[str, Any]:
        """Validate and run one call; the answer is what the model reads back."""
        schema = self.schemas.get(name)
        if schema is None:
            raise MalformedToolCall(f"no existe la herramienta {name!r}")
        arguments = parse_arguments(raw_arguments, schema)
        output = TOOLS[name](self, arguments)
        self.called.append(name)
        self.outputs.append(output)
        return output

    # --- helpers ---

    def _vehicle(self, stock_id: str | None) -> Vehicle | None:
        wanted = stock_id or self.ctx.state.focus_stock_id
        found = vehicles_by_stock_ids([wanted]) if wanted else []
        return found[0] if found else None

    def _focus(self, vehicle: Vehicle) -> None:
        self.ctx.state.focus_stock_id = vehicle.stock_id
        self.slots.setdefault("make", vehicle.make)
        self.slots.setdefault("model", vehicle.model)


def _canonical(make: str | None, model: str | None) -> tuple[str | None, str | None]:
    """The catalog's spelling of what the model wrote ("chevy" → Chevrolet, "cx5" → CX-5)."""
    vocabulary = get_vocabulary()
    if make:
        mentions = vocabulary.find(normalise(make))
        make = mentions.makes[0] if mentions.makes else make
    if model:
        mentions = vocabulary.find(normalise(f"{make or ''} {model}"))
        found = next((pair for pair in mentions.models if not make or pair[0] == make), None)
        if found:
            make, model = found
    return make, model


def _search(session: ToolSession, arguments: dict[str, Any]) -> dict[str, Any]:
    criteria = {key: arguments[key] for key in SEARCH_CRITERIA if key in arguments}
    criteria["make"], criteria["model"] = _canonical(criteria.get("make"), criteria.get("model"))
    criteria = {key: value for key, value in criteria.items() if value is not None}
    flags = {key: arguments[key] for key in ("bluetooth", "car_play") if key in arguments}
    filters = VehicleFilters.from_slots({**criteria, **flags})
    if filters.is_empty():
        return {"error": "Pide al cliente al menos un criterio: presupuesto, tipo de auto, marca o modelo."}
    found = vehicle_search(filters, limit=RESULT_VEHICLES)
    state = session.ctx.state
    state.last_search, state.last_results = criteria, [vehicle.stock_id for vehicle in found.vehicles]
    state.focus_stock_id = found.vehicles[0].stock_id if found.total == 1 else None
    session.vehicles = [vehicle_card(vehicle) for vehicle in found.vehicles]
    session.vehicles_total = found.total
    for key, value in criteria.items():
        session.slots.setdefault(key, value)
    if found.total:
        session.alternatives = []
        shown = [_brief(card) for card in session.vehicles[:MODEL_VEHICLES]]
        return {"criteria": criteria, "total": found.total, "vehicles": shown}
    session.alternatives = [vehicle_card(vehicle) for vehicle in vehicle_alternatives(filters)]
    return {"criteria": criteria, "total": 0, "alternatives": [_brief(card) for card in session.alternatives]}


def _details(session: ToolSession, arguments: dict[str, Any]) -> dict[str, Any]:
    make, model = _canonical(arguments.get("make"), arguments.get("model"))
    if arguments.get("stock_id"):
        vehicles = vehicles_by_stock_ids([arguments["stock_id"]])
    elif make or model:
        vehicles = vehicles_matching(make, model, arguments.get("year"))
    else:
        vehicle = session._vehicle(None)
        vehicles = [vehicle] if vehicle else []
    if not vehicles:
        return {"error": "No encontré ese auto entre los disponibles."}
    if len(vehicles) == 1:
        session._focus(vehicles[0])
    cards = [vehicle_card(vehicle) for vehicle in vehicles[:MODEL_VEHICLES]]
    session.vehicles, session.vehicles_total = cards, len(vehicles)
    return {"total": len(vehicles), "vehicles": [_brief(card) for card in cards]}


def _plan_choices(session: ToolSession, arguments: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The plan's term and down payment: the call's, else what the customer stated earlier (contract §3)."""
    state = session.ctx.state
    term = arguments.get("term_months", state.term_months)
    if "down_payment" in arguments or "down_payment_pct" in arguments:
        down, share = arguments.get("down_payment"), arguments.get("down_payment_pct")
    else:
        down, share = state.down_payment, state.down_payment_pct
    return (
        term,
        Decimal(str(down)) if down is not None else None,
        Decimal(str(share)) if share is not None else None,
    )


def _remember_choices(session: ToolSession, arguments: dict[str, Any]) -> None:
    state = session.ctx.state
    if "term_months" in arguments:
        state.term_months = int(arguments["term_months"])
        session.slots["term_months"] = state.term_months
    if "down_payment" in arguments:
        state.down_payment, state.down_payment_pct = float(arguments["down_payment"]), None
    elif "down_payment_pct" in arguments:
        state.down_payment, state.down_payment_pct = None, float(arguments["down_payment_pct"])


def _financing(session: ToolSession, arguments: dict[str, Any]) -> dict[str, Any]:
    vehicle = session._vehicle(arguments.get("stock_id"))
    if vehicle is None:
        return {"error": "¿De qué auto? Pide al cliente el modelo o el stock_id."}
    session._focus(vehicle)
    term, down_payment, down_payment_pct = _plan_choices(session, arguments)
    card = vehicle_card(vehicle)
    try:
        plans = financing_plans(
            vehicle.price,
            session.ctx.terms,
            term_months=term,
            down_payment=down_payment,
            down_payment_pct=down_payment_pct,
            stock_id=vehicle.stock_id,
        )
    except FinancingError as error:
        return {"error": str(error), "vehicle": _brief(card)}
    _remember_choices(session, arguments)
    plan_dicts = [plan.as_dict() for plan in plans]
    session.ctx.state.last_plans = plan_dicts
    session.financing = [*[p for p in session.financing if p["stock_id"] != vehicle.stock_id], *plan_dicts]
    session.vehicles, session.vehicles_total = [card], 1
    return {"vehicle": _brief(card), "plans": [_plan_for_model(plan) for plan in plan_dicts]}


def _chosen_plan(session: ToolSession, vehicle: Vehicle, term: int | None) -> dict[str, Any] | None:
    known = session.financing or session.ctx.state.last_plans
    plans = [plan for plan in known if plan.get("stock_id") == vehicle.stock_id]
    term = term or session.ctx.state.term_months
    if term:
        plans = [plan for plan in plans if plan.get("term_months") == term] or plans
    return plans[0] if len(plans) == 1 else None


def _lead(session: ToolSession, arguments: dict[str, Any]) -> dict[str, Any]:
    """Record the request to write it with the turn's reply: the folio reaches the model as a placeholder."""
    if session.pending_lead is None:  # one request, one lead: a repeated call changes nothing
        vehicle = session._vehicle(arguments.get("stock_id"))
        plan = _chosen_plan(session, vehicle, arguments.get("term_months")) if vehicle else None
        if vehicle is not None:
            session._focus(vehicle)
        session.pending_lead = PendingLead(vehicle=vehicle, plan=plan)
    pending = session.pending_lead
    output: dict[str, Any] = {
        "folio": FOLIO_PLACEHOLDER,
        "note": f"Escribe {FOLIO_PLACEHOLDER} tal cual en tu respuesta: se cambia por el folio real al enviarla.",
    }
    if pending.vehicle is not None:
        output["vehicle"] = _brief(vehicle_card(pending.vehicle))
    if pending.plan:
        output["plan"] = _plan_for_model(pending.plan)
    return output


def _faq(session: ToolSession, arguments: dict[str, Any]) -> dict[str, Any]:
    index = session.ctx.faq_index
    match = index.best(arguments["question"]) if index is not None else None
    if match is None or match.score < CONFIDENCE_THRESHOLD:
        return {"match": False}
    session.faq = {"id": match.id, "question": match.question}
    session.ctx.state.faq_in_focus = match.id
    return {
        "match": True,
        "question": match.question,
        "answer": match.answer,
        "additional_info": match.additional_info,
    }


def _handoff(session: ToolSession, arguments: dict[str, Any]) -> dict[str, Any]:
    session.handoff = True
    return {"ok": True, "note": "Una persona del equipo continuará la conversación; el asistente dejará de responder."}


TOOLS: dict[str, Callable[[ToolSession, dict[str, Any]], dict[str, Any]]] = {
    "search_vehicles": _search,
    "vehicle_details": _details,
    "calculate_financing": _financing,
    "create_lead": _lead,
    "search_faq": _faq,
    "human_handoff": _handoff,
}
