from django.conf import settings
from django.db import models

from conversations.phones import phone_e164


class LeadStatus(models.TextChoices):
    NEW = "new", "Nuevo"
    CONTACTED = "contacted", "Contactado"
    VISIT_SCHEDULED = "visit_scheduled", "Visita agendada"
    WON = "won", "Ganado"
    LOST = "lost", "Perdido"


class LostReason(models.TextChoices):
    PRICE = "price", "El precio"
    FINANCING = "financing", "No le aprobaron el financiamiento"
    BOUGHT_ELSEWHERE = "bought_elsewhere", "Compró en otro lado"
    NO_ANSWER = "no_answer", "No contestó"
    CAR_SOLD = "car_sold", "El auto ya se vendió"
    CHANGED_MIND = "changed_mind", "Ya no quiere comprar"
    OTHER = "other", "Otro motivo (en las notas)"


class Lead(models.Model):
    folio = models.CharField("folio", max_length=32, unique=True)
    assistant = models.ForeignKey(
        "conversations.Assistant", on_delete=models.PROTECT, related_name="leads", verbose_name="asistente"
    )
    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )
    customer_phone = models.CharField("teléfono", max_length=40, blank=True)
    customer_name = models.CharField("nombre", max_length=120, blank=True)
    vehicle = models.ForeignKey(
        "catalog.Vehicle", on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )
    vehicle_label = models.CharField("vehículo", max_length=200, blank=True)
    plan = models.JSONField("plan", default=dict, blank=True)
    request = models.CharField("solicitud", max_length=300, blank=True)
    status = models.CharField("estado", max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )
    notes = models.TextField("notas", blank=True)
    visit_at = models.DateTimeField("fecha y hora de la visita", null=True, blank=True)
    lost_reason = models.CharField("motivo de pérdida", max_length=20, choices=LostReason.choices, blank=True)
    # The car is kept for this lead until then (the assistant's hold period); a sweep offers it again after.
    hold_until = models.DateTimeField("apartado hasta", null=True, blank=True)
    # The same phone asked for the same car again: flagged on the first lead, or the later one points to it.
    requested_again_at = models.DateTimeField("lo volvió a pedir", null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates", verbose_name="duplicado de"
    )
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "prospecto"
        verbose_name_plural = "prospectos"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="lead_status_created")]
        constraints = [
            # "Lo quiero" twice for one car in one conversation is one lead, even when both turns race.
            # Leads without a car ("que me llamen") or without a conversation (admin, imports) are free.
            models.UniqueConstraint(
                fields=["conversation", "vehicle"],
                condition=models.Q(conversation__isnull=False, vehicle__isnull=False),
                name="lead_one_per_car_per_conversation",
            )
        ]

    def __str__(self) -> str:
        return self.folio

    def save(self, *args: object, **kwargs: object) -> None:
        # One form for every phone, however the bot, the admin or an import got it ("55 1234 5678" -> "+52…").
        self.customer_phone = phone_e164(self.customer_phone) or self.customer_phone
        super().save(*args, **kwargs)


class LeadEvent(models.Model):
    """One change of a lead's status or salesperson: who, when, from what to what (labels as shown then)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    field = models.CharField(max_length=20)
    old = models.CharField(max_length=150, blank=True)
    new = models.CharField(max_length=150, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cambio del prospecto"
        verbose_name_plural = "cambios del prospecto"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"
