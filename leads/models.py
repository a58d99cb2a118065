from django.conf import settings
from django.db import models

from conversations.phones import phone_e164


class LeadStatus(models.TextChoices):
    NEW = "new", "Nuevo"
    CONTACTED = "contacted", "Contactado"
    VISIT_SCHEDULED = "visit_scheduled", "Visita agendada"
    WON = "won", "Ganado"
    LOST = "lost", "Perdido"


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
