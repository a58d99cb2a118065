"""Request validation and response documentation for the chat API (contract §5)."""

import re
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import BodyType, Transmission
from conversations.models import MessageRole, normalise_channel_number
from conversations.phones import phone_or_id
from financing.calculator import money_json
from nlu.intents import INTENTS

# Phone numbers ("+5215512345678", "whatsapp:+52 1 55…") and other opaque client ids.
SENDER_PATTERN = re.compile(r"^[\w+\-.:@() ]+$")
SENDER_MAX_CHARS = 64  # Conversation.sender


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers, booleans and text the database cannot store."""

    default_error_messages = {"null_characters_not_allowed": "El texto contiene caracteres no válidos."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            self.fail("null_characters_not_allowed")
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates such as "\ud800"
            self.fail("invalid")
        return super().to_internal_value(data)


class MessageField(StrictCharField):
    def __init__(self, **kwargs: Any) -> None:
        # Read per serializer instance (DRF re-runs __init__ when it copies declared fields).
        kwargs.setdefault("max_length", settings.MESSAGE_MAX_CHARS)
        super().__init__(**kwargs)


class ChatRequestSerializer(serializers.Serializer):
    """Mensaje de una persona para un asistente."""

    # `from` is a Python keyword: the field is declared as `sender` and renamed in get_fields.
    assistant = StrictCharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=50,
        help_text="Identificador del asistente (`kvky`, `blinky`). Opcional si envías `to` o si solo hay uno.",
        error_messages={
            "invalid": '«assistant» debe ser texto, p. ej. "kvky".',
            "max_length": "«assistant» es demasiado largo.",
        },
    )
    to = StrictCharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=64,
        help_text="Número del canal (p. ej. `whatsapp:+14155238886`); elige el asistente que lo atiende.",
        error_messages={
            "invalid": '«to» debe ser un número de teléfono en texto, p. ej. "+14155238886".',
            "max_length": "«to» es demasiado largo.",
        },
    )
    sender = StrictCharField(
        source="sender",
        max_length=SENDER_MAX_CHARS,
        help_text="Quién escribe: su teléfono o un identificador estable (máx. 64 caracteres).",
        error_messages={
            "required": "Falta «from»: el teléfono o identificador de quien escribe.",
            "null": "Falta «from»: el teléfono o identificador de quien escribe.",
            "blank": "«from» no puede estar vacío.",
            "invalid": '«from» debe ser un teléfono o identificador en texto, p. ej. "+5215512345678".',
            "null_characters_not_allowed": "«from» contiene caracteres no válidos.",
            "max_length": "«from» no puede tener más de {max_length} caracteres.",
        },
    )
    message = MessageField(
        help_text="Lo que escribió la persona (máx. 1,600 caracteres, el límite de WhatsApp).",
        error_messages={
            "required": "Falta «message»: el texto que escribió la persona.",
            "null": "Falta «message»: el texto que escribió la persona.",
            "blank": "«message» no puede estar vacío.",
            "invalid": "«message» debe ser texto.",
            "null_characters_not_allowed": "«message» contiene caracteres no válidos.",
            "max_length": "«message» no puede tener más de {max_length} caracteres.",
        },
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        return {("from" if name == "sender" else name): field for name, field in fields.items()}

    def validate_from(self, value: str) -> str:
        if not SENDER_PATTERN.match(value):
            raise serializers.ValidationError(
                "«from» solo puede tener dígitos, letras, espacios y + - . : @ ( ).", code="invalid"
            )
        # A phone in any format is one customer: "+52 55 1234 9876" and "5512349876" -> "+525512349876".
        # Any other client id is the client's to choose and stays as it came.
        return phone_or_id(value)

    def validate_to(self, value: str | None) -> str | None:
        if value and not normalise_channel_number(value):
            raise serializers.ValidationError('«to» debe ser un número de teléfono, p. ej. "+14155238886".')
        return value or None

    def validate_assistant(self, value: str | None) -> str | None:
        return value or None


class MoneyField(serializers.Field):
    """Pesos as a JSON number: an integer for whole pesos (253999), else rounded half-up to cents (50799.8)."""

    def to_representation(self, value: Any) -> int | float:
        return money_json(value)


@extend_schema_field({"type": "number", "description": "Pesos: entero si no tiene centavos, si no, con centavos."})
class MoneySchemaField(MoneyField):
    pass


def _money(help_text: str, *, required: bool = True) -> MoneySchemaField:
    return MoneySchemaField(help_text=help_text, required=required)


class VehicleSerializer(serializers.Serializer):
    """Un auto del catálogo."""

    stock_id = serializers.CharField(help_text="Identificador del auto en el inventario.")
    make = serializers.CharField(help_text="Marca, como la escribe el catálogo.")
    model = serializers.CharField(help_text="Modelo, como lo escribe el catálogo.")
    year = serializers.IntegerField(help_text="Año modelo.")
    version = serializers.CharField(allow_blank=True, help_text="Versión; puede venir vacía.")
    km = serializers.IntegerField(help_text="Kilometraje.")
    price = serializers.IntegerField(help_text="Precio en pesos, sin centavos.")
    body_type = serializers.ChoiceField(
        choices=[*BodyType.values, ""], allow_blank=True, help_text="Carrocería; vacía si el catálogo no la dice."
    )
    bluetooth = serializers.BooleanField()
    car_play = serializers.BooleanField()
    transmission = serializers.ChoiceField(
        choices=[*Transmission.values, ""], allow_blank=True, help_text="Transmisión; vacía si no se sabe."
    )
    length_mm = serializers.IntegerField(allow_null=True, help_text="Largo en milímetros, o null.")
    width_mm = serializers.IntegerField(allow_null=True, help_text="Ancho en milímetros, o null.")
    height_mm = serializers.IntegerField(allow_null=True, help_text="Altura en milímetros, o null.")
    photo_url = serializers.CharField(allow_blank=True, help_text="URL de la foto; puede venir vacía.")


class FinancingPlanSerializer(serializers.Serializer):
    """Un plan de financiamiento."""

    stock_id = serializers.CharField()
    price = _money("Precio del auto en pesos.")
    down_payment = _money("Enganche en pesos.")
    loan_amount = _money("Monto a financiar: precio menos enganche.")
    annual_rate = serializers.FloatField(help_text="Tasa anual como fracción, p. ej. 0.1 es 10 %.")
    term_months = serializers.IntegerField(help_text="Plazo en meses.")
    monthly_payment = _money("Mensualidad, redondeada a centavos.")
    total_paid = _money("Enganche más todas las mensualidades.")


class SlotsSerializer(serializers.Serializer):
    """Datos entendidos en el mensaje, en forma canónica (contrato §3). Solo vienen los que el mensaje dice."""

    make = serializers.CharField(required=False, help_text="Marca del catálogo, p. ej. «Chevrolet».")
    other_makes = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Otras marcas pedidas a la vez («mazda o kia»)."
    )
    model = serializers.CharField(required=False, help_text="Modelo del catálogo, p. ej. «Onix».")
    body_type = serializers.ChoiceField(choices=BodyType.values, required=False)
    features = serializers.ListField(child=serializers.ChoiceField(choices=["bluetooth", "car_play"]), required=False)
    transmission = serializers.ChoiceField(choices=Transmission.values, required=False)
    min_price = serializers.IntegerField(required=False, help_text="Precio mínimo en pesos.")
    max_price = serializers.IntegerField(required=False, help_text="Precio máximo en pesos.")
    year_min = serializers.IntegerField(required=False)
    year_max = serializers.IntegerField(required=False)
    max_km = serializers.IntegerField(required=False)
    term_months = serializers.IntegerField(required=False, help_text="Plazo en meses.")
    other_term_months = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Otros plazos pedidos a la vez."
    )
    down_payment = _money("Enganche en pesos.", required=False)
    down_payment_pct = serializers.FloatField(required=False, help_text="Enganche como fracción del precio, 0 a 1.")
    max_monthly_payment = _money("Mensualidad máxima que la persona puede pagar, en pesos.", required=False)

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        # Every slot the turn read goes out (the schema test catches one left undocumented); money as money.
        return {name: money_json(value) if name in SLOT_MONEY else value for name, value in instance.items()}


SLOT_MONEY = ("down_payment", "max_monthly_payment")


class FaqReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="ID de la pregunta frecuente.")
    question = serializers.CharField()


class LeadReferenceSerializer(serializers.Serializer):
    folio = serializers.CharField(help_text="Folio del prospecto, p. ej. «KVK-7Q2M-9XHF».")


class ChatResponseSerializer(serializers.Serializer):
    """Resultado del turno: la respuesta y lo que el asistente entendió e hizo."""

    conversation = serializers.UUIDField(help_text="ID de la conversación (UUID).")
    assistant = serializers.CharField(help_text="Identificador del asistente que contestó.")
    reply = serializers.CharField(
        allow_blank=True, help_text="La respuesta; vacía mientras una persona atiende la conversación."
    )
    intent = serializers.ChoiceField(choices=INTENTS, help_text="Qué entendió el asistente (contrato §2).")
    slots = SlotsSerializer()
    vehicles = VehicleSerializer(many=True, help_text="Autos que coinciden, del más barato al más caro (máx. 50).")
    vehicles_total = serializers.IntegerField(help_text="Cuántos autos coinciden en total.")
    alternatives = VehicleSerializer(many=True, help_text="Alternativas cercanas cuando nada coincide.")
    financing = FinancingPlanSerializer(many=True)
    faq = FaqReferenceSerializer(allow_null=True)
    lead = LeadReferenceSerializer(allow_null=True)
    handoff = serializers.BooleanField(help_text="Verdadero cuando una persona atiende la conversación.")


class ErrorSerializer(serializers.Serializer):
    """Error: un código estable y una explicación en español."""

    error = serializers.CharField(help_text="Código estable, p. ej. `message_required`.")
    detail = serializers.CharField(help_text="Explicación en español.")


class PolledMessageSerializer(serializers.Serializer):
    """Un mensaje de la conversación."""

    id = serializers.IntegerField(help_text="ID del mensaje; úsalo en `since` para pedir solo los siguientes.")
    role = serializers.ChoiceField(
        choices=MessageRole.values, help_text="`user`: la persona; `bot`: el asistente; `staff`: alguien del personal."
    )
    text = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField(help_text="Cuándo se guardó (ISO 8601).")


class ConversationMessagesSerializer(serializers.Serializer):
    """Los mensajes de una conversación posteriores a `since`, del más antiguo al más reciente."""

    conversation = serializers.UUIDField()
    assistant = serializers.CharField(source="assistant.slug")
    handoff = serializers.BooleanField(help_text="Verdadero mientras una persona atiende la conversación.")
    messages = PolledMessageSerializer(many=True, help_text="Máximo 100 por respuesta.")
    has_more = serializers.BooleanField(help_text="Hay más mensajes: pide de nuevo con el `id` del último.")


class MessagesQuerySerializer(serializers.Serializer):
    since = serializers.CharField(
        required=False,
        help_text="ID de mensaje (solo los posteriores) o fecha y hora ISO 8601, p. ej. `2026-12-03T12:00:00Z`.",
    )

    def validate_since(self, value: str) -> int | datetime:
        value = value.strip()
        if value.isdigit():
            return int(value)
        try:
            # A "+" in the offset arrives as a space when the client does not encode the query string.
            moment = parse_datetime(value.replace(" ", "+")) or parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise serializers.ValidationError(
                "«since» debe ser un ID de mensaje o una fecha y hora ISO 8601, p. ej. 2026-12-03T12:00:00Z."
            )
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)
