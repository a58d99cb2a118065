import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from conversations.phones import phone_or_id


class AssistantKind(models.TextChoices):
    SALES = "sales", "Ventas"
    ONBOARDING = "onboarding", "Onboarding"


class Channel(models.TextChoices):
    API = "api", "API"
    WHATSAPP = "whatsapp", "WhatsApp"
    WEB = "web", "Web"


def _share(field_name: str, default: str) -> models.DecimalField:
    return models.DecimalField(
        field_name,
        max_digits=5,
        decimal_places=4,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )


class Assistant(models.Model):
    slug = models.SlugField(unique=True)
    kind = models.CharField("tipo", max_length=12, choices=AssistantKind.choices)
    name = models.CharField("nombre", max_length=80)
    greeting = models.TextField("saludo")
    persona = models.TextField("personalidad", blank=True)
    value_proposition = models.TextField("propuesta de valor", blank=True)
    locations_text = models.TextField("ubicaciones", blank=True)
    help_text = models.TextField("ayuda", blank=True)
    annual_rate = _share("tasa anual", "0.10")
    min_term_months = models.PositiveSmallIntegerField("plazo mínimo (meses)", default=36)
    max_term_months = models.PositiveSmallIntegerField("plazo máximo (meses)", default=72)
    default_down_payment_pct = _share("enganche por omisión", "0.20")
    min_down_payment_pct = _share("enganche mínimo", "0.10")
    folio_prefix = models.CharField("prefijo de folio", max_length=8, default="KVK")
    whatsapp_template_sid = models.CharField(
        "plantilla de WhatsApp (ContentSid)",
        max_length=64,
        blank=True,
        help_text="Plantilla aprobada por WhatsApp (HX…) para escribir después de 24 horas sin mensajes del cliente; "
        "su variable {{1}} lleva el texto.",
    )
    # The optional LLM layer: on when a key is configured (OPENAI_API_KEY); a blank model takes the environment's.
    # The endpoint is never per assistant: it is the operator's (OPENAI_BASE_URL), the one the key belongs to.
    llm_enabled = models.BooleanField(
        "usar modelo de lenguaje",
        default=True,
        help_text="Solo aplica si hay una llave configurada (OPENAI_API_KEY); si no, responde el motor de reglas.",
    )
    llm_model = models.CharField("modelo de lenguaje", max_length=100, blank=True, help_text="Vacío: OPENAI_MODEL.")
    lead_hold_hours = models.PositiveSmallIntegerField(
        "horas de apartado",
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text="Cuántas horas queda apartado el auto de un prospecto; después se vuelve a ofrecer.",
    )
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "asistente"
        verbose_name_plural = "asistentes"
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_term_months__lte=models.F("max_term_months")),
                name="assistant_term_range",
            ),
            models.CheckConstraint(
                condition=models.Q(min_down_payment_pct__lte=models.F("default_down_payment_pct")),
                name="assistant_down_payment_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    def clean(self) -> None:
        if self.min_term_months and self.max_term_months and self.min_term_months > self.max_term_months:
            raise ValidationError({"max_term_months": "El plazo máximo debe ser mayor o igual al mínimo."})
        if (
            self.min_down_payment_pct is not None
            and self.default_down_payment_pct is not None
            and self.min_down_payment_pct > self.default_down_payment_pct
        ):
            raise ValidationError({"default_down_payment_pct": "El enganche por omisión no puede ser menor al mínimo."})

    @property
    def is_sales(self) -> bool:
        return self.kind == AssistantKind.SALES


def normalise_channel_number(number: str) -> str:
    """'whatsapp:+1 415-523-8886' -> '+14155238886' (Twilio's To, with or without prefix)."""
    number = number.strip().removeprefix("whatsapp:")
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"+{digits}" if digits else ""


class ChannelNumber(models.Model):
    assistant = models.ForeignKey(
        Assistant, on_delete=models.CASCADE, related_name="channel_numbers", verbose_name="asistente"
    )
    number = models.CharField("número", max_length=32, unique=True, help_text="Formato E.164, p. ej. +14155238886")

    class Meta:
        verbose_name = "número de canal"
        verbose_name_plural = "números de canal"

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        self.number = normalise_channel_number(self.number)
        super().save(*args, **kwargs)


class FAQ(models.Model):
    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="faqs", verbose_name="asistente")
    question = models.CharField("pregunta", max_length=300)
    answer = models.TextField("respuesta")
    additional_info = models.TextField("información adicional", blank=True)
    keywords = models.TextField(
        "otras formas de preguntarlo", blank=True, help_text="Una frase o palabra clave por línea."
    )
    position = models.PositiveIntegerField("orden", default=0)
    is_active = models.BooleanField("activa", default=True)
    created_at = models.DateTimeField("creada", auto_now_add=True)
    updated_at = models.DateTimeField("actualizada", auto_now=True)

    class Meta:
        verbose_name = "pregunta frecuente"
        verbose_name_plural = "preguntas frecuentes"
        ordering = ["assistant", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assistant", "question"], name="faq_unique_question"),
        ]
        indexes = [models.Index(fields=["assistant", "is_active", "position"], name="faq_assistant_active")]

    def __str__(self) -> str:
        return self.question


class Conversation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assistant = models.ForeignKey(
        Assistant, on_delete=models.CASCADE, related_name="conversations", verbose_name="asistente"
    )
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    sender = models.CharField("cliente", max_length=64, help_text="Teléfono o identificador de sesión")
    profile_name = models.CharField("nombre de perfil", max_length=120, blank=True)
    # What the customer said ("me llamo …") or staff wrote; it wins over the WhatsApp profile name.
    customer_name = models.CharField("nombre", max_length=120, blank=True)
    customer_phone = models.CharField("teléfono", max_length=40, blank=True, help_text="Formato E.164")
    state = models.JSONField("estado del diálogo", default=dict, blank=True)
    handoff = models.BooleanField("con un humano", default=False)
    handoff_at = models.DateTimeField("pasada a una persona", null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="asignada a",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_conversations",
    )
    turns = models.PositiveIntegerField("turnos", default=0)
    started_at = models.DateTimeField("inicio", auto_now_add=True)
    last_message_at = models.DateTimeField("último mensaje", auto_now_add=True)
    csat_score = models.PositiveSmallIntegerField(
        "satisfacción (1–5)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    nps_score = models.PositiveSmallIntegerField(
        "recomendación (0–10)", null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    # The REST client that started it: its webhook hears staff replies and handoffs, and only it may poll.
    api_key = models.ForeignKey(
        "ApiKey",
        verbose_name="llave de API",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )

    class Meta:
        verbose_name = "conversación"
        verbose_name_plural = "conversaciones"
        ordering = ["-last_message_at"]
        constraints = [
            models.UniqueConstraint(fields=["assistant", "channel", "sender"], name="conversation_unique_sender"),
            models.CheckConstraint(
                condition=models.Q(csat_score__isnull=True) | models.Q(csat_score__gte=1, csat_score__lte=5),
                name="conversation_csat_range",
            ),
            models.CheckConstraint(
                condition=models.Q(nps_score__isnull=True) | models.Q(nps_score__lte=10),
                name="conversation_nps_range",
            ),
        ]
        indexes = [
            models.Index(fields=["-last_message_at"], name="conversation_recent"),
            models.Index(fields=["handoff", "-last_message_at"], name="conversation_handoff"),
        ]

    def __str__(self) -> str:
        return f"{self.assistant.slug} · {self.sender}"

    @property
    def display_name(self) -> str:
        return self.customer_name or self.profile_name

    @property
    def display_phone(self) -> str:
        """The customer's phone: the one they gave, else the sender in E.164 (an API client's own id as it came;
        a web session key is no phone)."""
        if self.customer_phone:
            return self.customer_phone
        return phone_or_id(self.sender) if self.channel != Channel.WEB else ""


class MessageRole(models.TextChoices):
    USER = "user", "Cliente"
    BOT = "bot", "Asistente"
    STAFF = "staff", "Personal"


class Intent(models.TextChoices):
    """The contract's intents (nlu.intents.INTENTS) with the names staff read in filters, charts and transcripts."""

    GREET = "greet", "Saludo"
    GOODBYE = "goodbye", "Despedida"
    HELP = "help", "Ayuda"
    VALUE_PROPOSITION = "value_proposition", "Propuesta de valor"
    LOCATIONS = "locations", "Ubicaciones"
    SEARCH_VEHICLES = "search_vehicles", "Búsqueda de autos"
    VEHICLE_DETAILS = "vehicle_details", "Detalles de un auto"
    FINANCING = "financing", "Financiamiento"
    CREATE_LEAD = "create_lead", "Registro de prospecto"
    FAQ = "faq", "Pregunta frecuente"
    HUMAN_HANDOFF = "human_handoff", "Pasar con una persona"
    OUT_OF_SCOPE = "out_of_scope", "Fuera de tema"


class Slot(models.TextChoices):
    """The contract's slots (§3) with the names staff read beside each customer turn."""

    MAKE = "make", "marca"
    MODEL = "model", "modelo"
    BODY_TYPE = "body_type", "carrocería"
    TRANSMISSION = "transmission", "transmisión"
    FEATURES = "features", "equipamiento"
    MIN_PRICE = "min_price", "precio mínimo"
    MAX_PRICE = "max_price", "precio máximo"
    MAX_MONTHLY_PAYMENT = "max_monthly_payment", "mensualidad máxima"
    YEAR_MIN = "year_min", "año desde"
    YEAR_MAX = "year_max", "año hasta"
    MAX_KM = "max_km", "kilometraje máximo"
    TERM_MONTHS = "term_months", "plazo (meses)"
    OTHER_TERM_MONTHS = "other_term_months", "otros plazos (meses)"
    DOWN_PAYMENT = "down_payment", "enganche"
    DOWN_PAYMENT_PCT = "down_payment_pct", "enganche (fracción del precio)"
    OTHER_MAKES = "other_makes", "otras marcas"


def slot_label(slot: str) -> str:
    """A slot's Spanish name; one the contract does not name, as stored."""
    return Slot(slot).label if slot in Slot.values else slot


def intent_label(intent: str) -> str:
    """An intent's Spanish name; an unknown one (from an older engine) as stored."""
    return Intent(intent).label if intent in Intent.values else intent


class DeliveryStatus(models.TextChoices):
    """Where an outbound WhatsApp message is. The first two are ours; the rest are Twilio's MessageStatus."""

    PENDING = "pending", "Por enviar"
    SENDING = "sending", "Enviando"
    QUEUED = "queued", "En cola"
    SENT = "sent", "Enviado"
    DELIVERED = "delivered", "Entregado"
    READ = "read", "Leído"
    FAILED = "failed", "Falló"
    UNDELIVERED = "undelivered", "No entregado"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", verbose_name="conversación"
    )
    role = models.CharField("autor", max_length=8, choices=MessageRole.choices)
    text = models.TextField("texto", blank=True)
    intent = models.CharField("intención", max_length=32, blank=True)
    slots = models.JSONField("datos detectados", default=dict, blank=True)
    payload = models.JSONField("resultado", default=dict, blank=True)
    external_id = models.CharField(
        "ID externo", max_length=64, null=True, blank=True, unique=True, help_text="p. ej. MessageSid de Twilio"
    )
    latency_ms = models.FloatField("latencia (ms)", null=True, blank=True)
    created_at = models.DateTimeField("fecha", auto_now_add=True)
    # Customer messages: true from the moment one is stored until its turn is stored (answered, or silent on
    # purpose), in the same transaction. A failure in between leaves it true, so it is answered later.
    awaiting_reply = models.BooleanField(
        "espera respuesta", default=False, help_text="Guardado y todavía sin respuesta ni decisión de no responder."
    )
    # Outbound WhatsApp messages only: the key names the message in Twilio's status callbacks and
    # makes delivery happen at most once; the status follows Twilio's callbacks.
    idempotency_key = models.CharField("llave de idempotencia", max_length=64, null=True, blank=True, unique=True)
    delivery_status = models.CharField(
        "estado de entrega", max_length=12, choices=DeliveryStatus.choices, blank=True, db_index=True
    )
    delivery_error = models.CharField("error de entrega", max_length=200, blank=True)
    delivery_parts_sent = models.PositiveSmallIntegerField("partes enviadas", default=0)
    # Bot messages answered through the LLM layer: cost, latency, and why the rules engine answered instead.
    llm_model = models.CharField("modelo de lenguaje", max_length=100, blank=True)
    llm_calls = models.PositiveSmallIntegerField("llamadas al modelo", default=0)
    llm_prompt_tokens = models.PositiveIntegerField("tokens de entrada", default=0)
    llm_completion_tokens = models.PositiveIntegerField("tokens de salida", default=0)
    llm_latency_ms = models.FloatField("latencia del modelo (ms)", null=True, blank=True)
    llm_fallback = models.CharField(
        "respaldo del motor de reglas",
        max_length=32,
        blank=True,
        help_text="Por qué respondió el motor de reglas: deadline, rate_limited, error, malformed, grounding…",
    )
    grounding_events = models.JSONField("cifras o autos sin respaldo", default=list, blank=True)

    class Meta:
        verbose_name = "mensaje"
        verbose_name_plural = "mensajes"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_conversation_time"),
            models.Index(fields=["created_at"], condition=Q(awaiting_reply=True), name="message_awaiting_reply"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.text[:40]}"


class ConversationNote(models.Model):
    """A staff member's internal note on a conversation: shown in the transcript, never sent to the customer."""

    conversation = models.ForeignKey(
        Conversation, verbose_name="conversación", on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="autor", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField("nota")
    created_at = models.DateTimeField("creada", auto_now_add=True)

    class Meta:
        verbose_name = "nota interna"
        verbose_name_plural = "notas internas"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class CannedReply(models.Model):
    """A saved answer staff pick in the reply box of the assistant's conversations."""

    assistant = models.ForeignKey(
        Assistant, verbose_name="asistente", on_delete=models.CASCADE, related_name="canned_replies"
    )
    title = models.CharField("título", max_length=80)
    text = models.TextField("texto", max_length=1600)
    position = models.PositiveIntegerField("orden", default=0)

    class Meta:
        verbose_name = "respuesta guardada"
        verbose_name_plural = "respuestas guardadas"
        ordering = ["assistant", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["assistant", "title"], name="cannedreply_unique_title")]

    def __str__(self) -> str:
        return self.title


class ApiKey(models.Model):
    """A REST client's key. Only its SHA-256 is stored; the key is shown once, at creation."""

    name = models.CharField("nombre", max_length=80, unique=True)
    prefix = models.CharField("prefijo", max_length=12, db_index=True)
    hashed_key = models.CharField("huella de la llave", max_length=64, unique=True)
    is_active = models.BooleanField("activa", default=True)
    created_at = models.DateTimeField("creada", auto_now_add=True)
    last_used_at = models.DateTimeField("último uso", null=True, blank=True)
    assistants = models.ManyToManyField(
        Assistant,
        verbose_name="asistentes",
        blank=True,
        related_name="api_keys",
        help_text="Con qué asistentes puede hablar la llave. Si no eliges ninguno, puede hablar con todos.",
    )
    webhook_url = models.URLField(
        "URL del webhook",
        max_length=500,
        blank=True,
        help_text="Recibe por POST, en JSON firmado, las respuestas del personal y los pases a una persona "
        "de las conversaciones que abrió esta llave.",
    )
    # Stored as it is because signing needs it (a hash could not sign); shown once, when it is made, and
    # never again: no admin page or API answer includes it. Rotating it makes a new one.
    webhook_secret = models.CharField("secreto del webhook", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "llave de API"
        verbose_name_plural = "llaves de API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class WebhookEvent(models.TextChoices):
    STAFF_REPLY = "staff_reply", "Respuesta del personal"
    HANDOFF = "handoff", "Pase a una persona"


class WebhookStatus(models.TextChoices):
    PENDING = "pending", "Por enviar"
    RETRYING = "retrying", "Reintentando"
    DELIVERED = "delivered", "Entregado"
    FAILED = "failed", "Falló"


class WebhookDelivery(models.Model):
    """One event POSTed to an API key's webhook; its body is built once, so every retry signs the same bytes."""

    api_key = models.ForeignKey(ApiKey, verbose_name="llave de API", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="webhook_deliveries")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    event = models.CharField("evento", max_length=16, choices=WebhookEvent.choices)
    url = models.URLField("URL", max_length=500)
    body = models.TextField("cuerpo (JSON)")
    status = models.CharField("estado", max_length=10, choices=WebhookStatus.choices, default=WebhookStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("intentos", default=0)
    last_error = models.CharField("último error", max_length=200, blank=True)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    delivered_at = models.DateTimeField("entregado", null=True, blank=True)

    class Meta:
        verbose_name = "envío de webhook"
        verbose_name_plural = "envíos de webhook"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.event} → {self.url} ({self.status})"


class RateWindow(models.Model):
    """One key's current rate-limit window (conversations/ratelimit.py) when Redis is not configured."""

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    window_start = models.FloatField(help_text="Unix time the window opened")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "ventana de límite"
        verbose_name_plural = "ventanas de límite"
        constraints = [models.UniqueConstraint(fields=["scope", "key_hash"], name="ratewindow_unique_key")]

    def __str__(self) -> str:
        return f"{self.scope}: {self.count}"


class ForgottenMessage(models.Model):
    """A forgotten customer's message id, kept as a keyed hash: a replayed webhook for it is refused.

    Only the HMAC (conversations/privacy.py, key derived from SECRET_KEY) is stored, never the id itself.
    """

    digest = models.CharField(
        "huella", max_length=64, unique=True, help_text="HMAC-SHA256 del ID externo (p. ej. MessageSid de Twilio)"
    )
    forgotten_at = models.DateTimeField("olvidado", auto_now_add=True)

    class Meta:
        verbose_name = "mensaje olvidado"
        verbose_name_plural = "mensajes olvidados"

    def __str__(self) -> str:
        return self.digest[:12]
