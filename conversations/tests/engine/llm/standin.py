"""A stand-in OpenAI-compatible Chat Completions server on loopback, answering from a script.

Tests queue the answers a turn should get (tool calls, plain text, errors, slow answers);
the benchmark gives it a policy instead. The real openai SDK talks to it over real HTTP.
"""

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    status: int = 200
    body: dict[str, Any] | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorded:
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def api_key(self) -> str:
        return self.headers.get("authorization", "").removeprefix("Bearer ")


def _completion(message: dict[str, Any], finish_reason: str, prompt_tokens: int, completion_tokens: int) -> dict:
    return {
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "stand-in",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def text(content: str, *, prompt_tokens: int = 120, completion_tokens: int = 30, delay: float = 0.0) -> Answer:
    message = {"role": "assistant", "content": content}
    return Answer(body=_completion(message, "stop", prompt_tokens, completion_tokens), delay=delay)


def tool_calls(
    *calls: tuple[str, dict[str, Any] | str], prompt_tokens: int = 100, completion_tokens: int = 20
) -> Answer:
    """One answer asking for several tools; arguments given as a str are sent as they are (malformed JSON)."""
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": f"call_{index}",
                "type": "function",
                "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)},
            }
            for index, (name, args) in enumerate(calls)
        ],
    }
    return Answer(body=_completion(message, "tool_calls", prompt_tokens, completion_tokens))


def tool_call(name: str, arguments: dict[str, Any] | str, **usage: int) -> Answer:
    return tool_calls((name, arguments), **usage)


def error(status: int, *, retry_after: float | None = None) -> Answer:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return Answer(
        status=status, body={"error": {"message": f"stand-in error {status}", "type": "error"}}, headers=headers
    )


class StandIn:
    """Start it, queue answers with `script`, read what the SDK sent in `requests`."""

    def __init__(self, *, latency: float = 0.0, policy: Callable[[dict[str, Any]], Answer] | None = None) -> None:
        self.latency = latency  # added to every answer: the benchmark's stand-in for a model's own time
        self.policy = policy
        self.requests: list[Recorded] = []
        self._script: deque[Answer] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False  # a slow answer the client gave up on must not hold the test
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> "StandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def script(self, *answers: Answer) -> None:
        with self._lock:
            self._script.extend(answers)

    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> Answer:
        with self._lock:
            self.requests.append(Recorded(body, headers))
            if self._script:
                return self._script.popleft()
        if self.policy is not None:
            return self.policy(body)
        return error(500)  # an unscripted call: the test did not expect it

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real endpoints allow: the SDK reuses its connections
            disable_nagle_algorithm = True  # else headers and body wait for a delayed ACK: 40 ms a call
            wbufsize = -1  # headers and body leave in one write (flushed after each request)

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                answer = standin._next(body, {key.lower(): value for key, value in self.headers.items()})
                time.sleep(answer.delay + standin.latency)
                payload = json.dumps(answer.body or {}).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: what a slow model sees too

        return Handler


# --- A scripted "model" for whole conversations: it follows the rules engine's reading -----------------------

CRITERIA = ("make", "model", "body_type", "min_price", "max_price", "year_min", "year_max", "max_km")
CHAT_REPLIES = {
    "greet": "¡Hola! Soy tu asesor de autos seminuevos. ¿Qué auto buscas?",
    "goodbye": "¡Gracias por escribir! Aquí estoy cuando me necesites.",
    "help": "Te ayudo a buscar autos, calcular mensualidades y apartar el que te guste.",
    "out_of_scope": "Eso no lo sé, pero te ayudo con autos, financiamiento y citas.",
}
ASSISTANT_LINES = {"value_proposition": "Por qué elegirnos: ", "locations": "Ubicaciones y contacto: "}


def _reading(messages: list[dict[str, Any]]) -> dict[str, Any]:
    for message in messages:
        content = message.get("content") or ""
        if message["role"] == "system" and content.startswith("Lectura"):
            return json.loads(content.split("\n", 1)[1])
    return {}


def _assistant_line(messages: list[dict[str, Any]], prefix: str) -> str | None:
    for line in (messages[0].get("content") or "").splitlines():
        if line.startswith(prefix):
            return line.removeprefix(prefix)
    return None


def _vehicle_line(vehicle: dict[str, Any]) -> str:
    return f"• {vehicle['make']} {vehicle['model']} {vehicle['year']}, {vehicle['km']} km, {vehicle['price']}"


def _words_for(output: dict[str, Any]) -> str:
    """What a careful model would write from one tool's answer: its figures copied as they are."""
    if "error" in output:
        return output["error"]
    if "folio" in output:
        return f"¡Listo! Registré tu solicitud. Tu folio es {output['folio']}."
    if "plans" in output:
        vehicle = output["vehicle"]
        lines = [f"• A {p['term_months']} meses: {p['monthly_payment']} al mes" for p in output["plans"]]
        return "\n".join([f"{vehicle['make']} {vehicle['model']} {vehicle['year']} de {vehicle['price']}:", *lines])
    if "match" in output:
        if not output["match"]:
            return "No tengo esa información. ¿Quieres que te comunique con una persona?"
        return "\n".join(part for part in (output["answer"], output["additional_info"]) if part)
    if "ok" in output:
        return "Te comunico con una persona del equipo; en un momento te escribe."
    vehicles = output.get("vehicles") or output.get("alternatives") or []
    head = f"Tengo {output['total']} opciones:" if output.get("total") else "No encontré eso; te propongo:"
    return "\n".join([head, *[_vehicle_line(vehicle) for vehicle in vehicles[:3]]])


class ReadingPolicy:
    """Answers like a model that trusts the rules engine's reading: one tool, then words from its answer."""

    def __call__(self, body: dict[str, Any]) -> Answer:
        messages = body["messages"]
        if messages[-1]["role"] == "tool":
            return self._after_tools(messages)
        return self._first_call(messages)

    def _after_tools(self, messages: list[dict[str, Any]]) -> Answer:
        outputs = []
        for message in reversed(messages):
            if message["role"] != "tool":
                break
            outputs.insert(0, json.loads(message["content"]))
        reading = _reading(messages)
        found = outputs[-1].get("vehicles") or []
        if reading.get("intent") == "financing" and "plans" not in outputs[-1] and "error" not in outputs[-1] and found:
            return tool_call("calculate_financing", {"stock_id": found[0]["stock_id"], **_plan_arguments(reading)})
        return text("\n\n".join(_words_for(output) for output in outputs))

    def _first_call(self, messages: list[dict[str, Any]]) -> Answer:
        reading = _reading(messages)
        intent, slots = reading.get("intent", "out_of_scope"), reading.get("slots", {})
        focus = (reading.get("vehicle_in_focus") or {}).get("stock_id")
        named = {key: slots[key] for key in ("make", "model") if key in slots}
        if intent == "search_vehicles":
            criteria = {key: slots[key] for key in CRITERIA if key in slots}
            flags = {feature: True for feature in reading.get("features", []) if feature in ("bluetooth", "car_play")}
            if criteria or flags:
                return tool_call("search_vehicles", {**criteria, **flags})
            return text("¿Qué presupuesto tienes y qué tipo de auto buscas?")
        if intent in ("vehicle_details", "financing") and (named or focus):
            if intent == "financing" and focus and not named:
                return tool_call("calculate_financing", {"stock_id": focus, **_plan_arguments(reading)})
            year = slots.get("year_min") if slots.get("year_min") == slots.get("year_max") else None
            details = {**named, "year": year} if named and year else named
            return tool_call("vehicle_details", details or {"stock_id": focus})
        if intent == "create_lead":
            return tool_call("create_lead", {"stock_id": focus} if focus else {})
        if intent == "faq":
            return tool_call("search_faq", {"question": messages[-1]["content"][:300]})
        if intent == "human_handoff":
            return tool_call("human_handoff", {})
        if intent in ASSISTANT_LINES:
            line = _assistant_line(messages, ASSISTANT_LINES[intent])
            if line:
                return text(line)
        return text(CHAT_REPLIES.get(intent, "¿Me cuentas un poco más de lo que buscas?"))


def _plan_arguments(reading: dict[str, Any]) -> dict[str, Any]:
    slots = reading.get("slots", {})
    arguments: dict[str, Any] = {}
    if "term_months" in slots:
        arguments["term_months"] = int(slots["term_months"])
    if "down_payment_pct" in slots:
        arguments["down_payment_pct"] = float(slots["down_payment_pct"])
    if "down_payment" in slots:
        arguments["down_payment"] = round(float(slots["down_payment"]))
    return arguments


def main() -> None:
    """Serve the reading policy from its own process (the benchmark: its work must not share our GIL)."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.05)
    latency = parser.parse_args().latency
    server = StandIn(latency=latency, policy=ReadingPolicy()).start()
    print(server.url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
