"""The back office for assistants, their FAQs and their conversations (transcripts and the handoff inbox).

Admin classes stay thin: reads come from conversations.backoffice, writes from conversations.services.
"""

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join

from conversations.api_keys import ApiKeyNameTaken, api_key_create, api_keys_set_active
from conversations.backoffice.admin_scoping import (
    AssistantFilter,
    AssistantScopedAdmin,
    short_datetime,
    visible_assistants,
)
from conversations.backoffice.faq_trial import faq_try
from conversations.backoffice.forms import (
    AssistantSettingsForm,
    ChannelNumberForm,
    FaqTryForm,
    InternalNoteForm,
    StaffReplyForm,
)
from conversations.backoffice.inbox import inbox_entries, response_text
from conversations.backoffice.response_times import conversation_response_times
from conversations.backoffice.roles import visible_assistant_kinds
from conversations.backoffice.transcripts import conversation_transcript, intents_seen, with_list_details
from conversations.channels.outbound import OutboundRefused
from conversations.models import (
    FAQ,
    ApiKey,
    Assistant,
    CannedReply,
    ChannelNumber,
    Conversation,
    Message,
    intent_label,
)
from conversations.services import (
    EmptyNote,
    EmptyStaffReply,
    conversation_note_add,
    conversation_release,
    conversation_take,
    faqs_set_active,
    staff_reply,
)
from conversations.webhooks import api_key_webhook_secret_rotate, api_key_webhook_set

admin.site.site_header = "KVKy · administración"
admin.site.site_title = "KVKy · administración"
admin.site.index_title = "Administración"
admin.site.enable_nav_sidebar = False  # the catalog and transcript lists need the width

_models_by_app = admin.site.get_app_list


def _app_list_with_inbox(request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
    """The admin's app list with the inbox ("Bandeja") first in the conversations section."""
    app_list = _models_by_app(request, app_label)
    for app in app_list:
        if app["app_label"] == "conversations" and request.user.has_perm("conversations.view_conversation"):
            inbox = {"name": "Bandeja", "object_name": "Inbox", "perms": {"view": True}, "view_only": True}
            app["models"].insert(0, {**inbox, "admin_url": reverse("admin:conversations_conversation_inbox")})
    return app_list


admin.site.get_app_list = _app_list_with_inbox


# --- Assistants -------------------------------------------------------------------------------------------------


class ChannelNumberInline(admin.TabularInline):
    model = ChannelNumber
    form = ChannelNumberForm
    extra = 0
    verbose_name = "número de WhatsApp"
    verbose_name_plural = "números de WhatsApp que atiende"


@admin.register(Assistant)
class AssistantAdmin(AssistantScopedAdmin):
    assistant_path = ""
    form = AssistantSettingsForm
    inlines = [ChannelNumberInline]
    list_display = ["name", "slug", "kind", "folio_prefix", "numbers", "faq_count"]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "name"]}),
        ("Textos", {"fields": ["greeting", "persona", "value_proposition", "locations_text", "help_text"]}),
        (
            "Financiamiento (asistentes de ventas)",
            {
                "fields": [
                    "annual_rate",
                    ("min_term_months", "max_term_months"),
                    ("default_down_payment_pct", "min_down_payment_pct"),
                    "folio_prefix",
                ]
            },
        ),
        ("WhatsApp", {"fields": ["whatsapp_template_sid"]}),
        ("Modelo de lenguaje (opcional)", {"fields": ["llm_enabled", "llm_model"]}),
    ]
    model_fieldset = "Modelo de lenguaje (opcional)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assistant]:
        return super().get_queryset(request).prefetch_related("channel_numbers").annotate(faq_total=Count("faqs"))

    def get_fieldsets(self, request: HttpRequest, obj: Assistant | None = None) -> list[tuple[str | None, dict]]:
        # The model settings are the operator's: the admin builds its form from these fieldsets, so staff
        # neither see them nor can change them with a hand-made POST.
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [fieldset for fieldset in fieldsets if fieldset[0] != self.model_fieldset]

    def get_readonly_fields(self, request: HttpRequest, obj: Assistant | None = None) -> list[str]:
        # The slug is in API clients and the kind decides which role sees the assistant.
        return ["slug", "kind"] if obj is not None and not request.user.is_superuser else []

    @admin.display(description="números")
    def numbers(self, assistant: Assistant) -> str:
        return ", ".join(number.number for number in assistant.channel_numbers.all()) or "—"

    @admin.display(description="preguntas frecuentes", ordering="faq_total")
    def faq_count(self, assistant: Assistant) -> int:
        return assistant.faq_total


# --- FAQs -------------------------------------------------------------------------------------------------------


@admin.register(FAQ)
class FAQAdmin(AssistantScopedAdmin):
    list_display = ["question", "assistant", "position", "is_active", "updated_at"]
    list_display_links = ["question"]
    list_editable = ["position", "is_active"]
    list_filter = [AssistantFilter, "is_active"]
    list_select_related = ["assistant"]
    search_fields = ["question", "answer", "keywords", "additional_info"]
    ordering = ["assistant__name", "position", "id"]
    fields = ["assistant", "question", "answer", "additional_info", "keywords", "position", "is_active"]
    actions = ["activate", "deactivate"]
    change_list_template = "admin/conversations/faq/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        try_url = path("probar/", self.admin_site.admin_view(self.try_view), name="conversations_faq_try")
        return [try_url, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        form = FaqTryForm(assistants=visible_assistants(request), auto_id="try_%s")
        return super().changelist_view(request, {**(extra_context or {}), "try_form": form})

    def try_view(self, request: HttpRequest) -> TemplateResponse:
        """Which FAQ a question would hit, and how sure the engine is ("try a question")."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = FaqTryForm(request.GET or None, assistants=visible_assistants(request), auto_id="try_%s")
        trial = faq_try(form.cleaned_data["assistant"], form.cleaned_data["question"]) if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "¿Qué respondería el asistente?",
            "form": form,
            "trial": trial,
            "assistant": form.cleaned_data.get("assistant") if trial else None,
        }
        return TemplateResponse(request, "admin/conversations/faq/try.html", context)

    @admin.action(description="Activar las preguntas seleccionadas", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[FAQ]) -> None:
        count = faqs_set_active(queryset, active=True)
        self.message_user(request, f"{count} preguntas activadas.", messages.SUCCESS)

    @admin.action(description="Desactivar las preguntas seleccionadas", permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[FAQ]) -> None:
        count = faqs_set_active(queryset, active=False)
        self.message_user(request, f"{count} preguntas desactivadas: el asistente ya no las usa.", messages.SUCCESS)


# --- Conversations: transcripts and the handoff inbox -----------------------------------------------------------


class IntentFilter(admin.SimpleListFilter):
    title = "intención"
    parameter_name = "intencion"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        intents = (
            Message.objects.filter(conversation__assistant__kind__in=sorted(visible_assistant_kinds(request.user)))
            .exclude(intent="")
            .values_list("intent", flat=True)
            .distinct()
            .order_by("intent")
        )
        return sorted(((intent, intent_label(intent)) for intent in intents), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Conversation]) -> QuerySet[Conversation]:
        if not self.value():
            return queryset
        return queryset.filter(pk__in=Message.objects.filter(intent=self.value()).values("conversation_id"))


@admin.register(Conversation)
class ConversationAdmin(AssistantScopedAdmin):
    list_display = [
        "customer",
        "assistant_name",
        "started",
        "last_message",
        "turns",
        "intents",
        "lead_folios",
        "handoff_badge",
        "rating",
    ]
    list_display_links = ["customer"]
    list_filter = [AssistantFilter, "handoff", IntentFilter, "channel", "last_message_at", "started_at"]
    search_fields = ["sender", "profile_name", "customer_name", "customer_phone", "leads__folio", "messages__text"]
    search_help_text = "Busca por teléfono, nombre, folio o texto de los mensajes."
    ordering = ["-handoff", "-last_message_at"]  # the handoff inbox comes first
    list_per_page = 50
    change_list_template = "admin/conversations/conversation/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Conversation]:
        return with_list_details(super().get_queryset(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # conversations come from the channels

    def get_urls(self) -> list[URLPattern]:
        def action(route: str, view: Any, name: str) -> URLPattern:
            return path(f"<path:object_id>/{route}/", self.admin_site.admin_view(view), name=f"conversations_{name}")

        inbox = [
            path("bandeja/", self.admin_site.admin_view(self.inbox_view), name="conversations_conversation_inbox"),
            path(
                "bandeja/datos/",
                self.admin_site.admin_view(self.inbox_data_view),
                name="conversations_conversation_inbox_data",
            ),
        ]
        return [
            *inbox,
            action("responder", self.reply_view, "conversation_reply"),
            action("nota", self.note_view, "conversation_note"),
            action("tomar", self.take_view, "conversation_take"),
            action("devolver", self.release_view, "conversation_release"),
            *super().get_urls(),
        ]

    # -- list columns --

    @admin.display(description="cliente", ordering="sender")
    def customer(self, conversation: Conversation) -> str:
        name, channel = conversation.display_name or "(sin nombre)", conversation.get_channel_display()
        return format_html("{}<br><small>{} · {}</small>", name, conversation.display_phone or "sin teléfono", channel)

    @admin.display(description="asistente", ordering="assistant__name")
    def assistant_name(self, conversation: Conversation) -> str:
        return conversation.assistant.name

    @admin.display(description="inicio", ordering="started_at")
    def started(self, conversation: Conversation) -> str:
        return short_datetime(conversation.started_at)

    @admin.display(description="último mensaje", ordering="last_message_at")
    def last_message(self, conversation: Conversation) -> str:
        return short_datetime(conversation.last_message_at)

    @admin.display(description="intenciones")
    def intents(self, conversation: Conversation) -> str:
        return ", ".join(intent_label(intent) for intent in intents_seen(conversation.customer_turns)) or "—"

    @admin.display(description="prospecto")
    def lead_folios(self, conversation: Conversation) -> str:
        return ", ".join(lead.folio for lead in conversation.lead_list) or "—"

    @admin.display(description="prospecto")
    def lead_links(self, conversation: Conversation) -> str:
        if not conversation.lead_list:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:leads_lead_change", args=[lead.pk]), lead.folio) for lead in conversation.lead_list),
        )

    def get_list_display(self, request: HttpRequest) -> list[str]:
        # Folios link to the lead only for people who may open leads.
        columns = list(super().get_list_display(request))
        if request.user.has_perm("leads.view_lead"):
            columns[columns.index("lead_folios")] = "lead_links"
        return columns

    @admin.display(description="con una persona", ordering="handoff")
    def handoff_badge(self, conversation: Conversation) -> str:
        if conversation.handoff:
            return format_html('<span class="badge badge-handoff">{}</span>', "Espera respuesta")
        return "—"

    @admin.display(description="calificación")
    def rating(self, conversation: Conversation) -> str:
        parts = []
        if conversation.csat_score is not None:
            parts.append(f"★ {conversation.csat_score}/5")
        if conversation.nps_score is not None:
            parts.append(f"NPS {conversation.nps_score}")
        return " · ".join(parts) or "—"

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        waiting = super().get_queryset(request).filter(handoff=True).count()
        return super().changelist_view(request, {**(extra_context or {}), "waiting": waiting})

    # -- the inbox: conversations waiting for a person --

    def inbox_view(self, request: HttpRequest) -> TemplateResponse:
        """The page; its rows come from inbox_data_view, polled every few seconds by conversations/inbox.js."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = inbox_entries(super().get_queryset(request))  # scoped, without the list's extras
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Bandeja",
            "entries": entries,
            "can_take": self.has_change_permission(request),
            "poll_ms": int(settings.BACKOFFICE_INBOX_POLL_SECONDS * 1000),
        }
        return TemplateResponse(request, "admin/conversations/conversation/inbox.html", context)

    def inbox_data_view(self, request: HttpRequest) -> JsonResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = inbox_entries(super().get_queryset(request))  # scoped, without the list's extras
        rows = [entry.as_json(request.user) for entry in entries]
        return JsonResponse({"count": len(rows), "conversations": rows})

    # -- the transcript page and its actions --

    def _conversation_or_404(self, request: HttpRequest, object_id: str) -> Conversation:
        conversation = self.get_object(request, unquote(object_id))
        if conversation is None:
            raise Http404("No existe esa conversación.")
        if not self.has_view_permission(request, conversation):
            raise PermissionDenied
        return conversation

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The transcript as a chat, read-only, with the reply box and hand-back for who may change it."""
        if request.method != "GET":
            return HttpResponse(status=405)
        conversation = self._conversation_or_404(request, object_id)
        return self._transcript(request, conversation, StaffReplyForm())

    def _transcript(
        self,
        request: HttpRequest,
        conversation: Conversation,
        form: StaffReplyForm,
        note_form: InternalNoteForm | None = None,
    ) -> TemplateResponse:
        leads = list(conversation.leads.all())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Conversación con {conversation.display_name or conversation.display_phone or 'un cliente'}",
            "conversation": conversation,
            "original": conversation,
            "entries": conversation_transcript(conversation),
            "leads": leads,
            "can_open_leads": request.user.has_perm("leads.view_lead"),
            "can_reply": self.has_change_permission(request, conversation),
            "reply_form": form,
            "note_form": note_form or InternalNoteForm(auto_id="note_%s"),
            "canned_replies": conversation.assistant.canned_replies.all(),
            "response_time": response_text(conversation_response_times(conversation)),
        }
        return TemplateResponse(request, "admin/conversations/conversation/transcript.html", context)

    def _changeable(self, request: HttpRequest, object_id: str) -> Conversation:
        conversation = self._conversation_or_404(request, object_id)
        if not self.has_change_permission(request, conversation):
            raise PermissionDenied
        return conversation

    def _back_to(self, conversation: Conversation) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:conversations_conversation_change", args=[conversation.pk]))

    def reply_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405)
        conversation = self._changeable(request, object_id)
        form = StaffReplyForm(request.POST)
        if not form.is_valid():
            return self._transcript(request, conversation, form)
        try:
            staff_reply(conversation, form.cleaned_data["text"], request.user)
        except (EmptyStaffReply, OutboundRefused) as error:
            form.add_error("text", str(error))
            return self._transcript(request, conversation, form)
        self.message_user(request, "Respuesta enviada. El bot no contestará hasta que le devuelvas la conversación.")
        return self._back_to(conversation)

    def take_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405)
        conversation = self._changeable(request, object_id)
        conversation_take(conversation, request.user)
        self.message_user(request, "Tomaste la conversación: está asignada a ti y el bot dejará de contestar.")
        return self._back_to(conversation)

    def note_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405)
        conversation = self._changeable(request, object_id)
        form = InternalNoteForm(request.POST, auto_id="note_%s")
        if not form.is_valid():
            return self._transcript(request, conversation, StaffReplyForm(), form)
        try:
            conversation_note_add(conversation, form.cleaned_data["text"], request.user)
        except EmptyNote as error:
            form.add_error("text", str(error))
            return self._transcript(request, conversation, StaffReplyForm(), form)
        self.message_user(request, "Nota guardada. Solo la ve el personal.", messages.SUCCESS)
        return self._back_to(conversation)

    def release_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405)
        conversation = self._changeable(request, object_id)
        conversation_release(conversation)
        self.message_user(request, "Le devolviste la conversación al bot.", messages.SUCCESS)
        return self._back_to(conversation)


@admin.register(CannedReply)
class CannedReplyAdmin(AssistantScopedAdmin):
    """Saved answers staff pick in the reply box; each role edits those of its own assistants."""

    list_display = ["title", "assistant", "position", "short_text"]
    list_display_links = ["title"]
    list_editable = ["position"]
    list_filter = [AssistantFilter]
    list_select_related = ["assistant"]
    search_fields = ["title", "text"]
    ordering = ["assistant__name", "position", "id"]
    fields = ["assistant", "title", "text", "position"]

    @admin.display(description="texto")
    def short_text(self, reply: CannedReply) -> str:
        return reply.text if len(reply.text) <= 80 else f"{reply.text[:79]}…"


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """REST clients' keys (superusers only: the roles get no permission on them). The key and the webhook's
    secret are shown once; the assistants and the webhook URL may change, the key itself never."""

    list_display = ["name", "prefix", "is_active", "scope", "webhook_url", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    actions = ["revoke", "restore", "rotate_webhook_secret"]
    filter_horizontal = ["assistants"]

    shown_fields = ["prefix", "is_active", "created_at", "last_used_at"]
    editable_fields = ["assistants", "webhook_url"]

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return ["name", *self.editable_fields] if obj is None else ["name", *self.shown_fields, *self.editable_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return [] if obj is None else ["name", *self.shown_fields]  # revoke and replace a key, never edit it

    @admin.display(description="asistentes")
    def scope(self, api_key: ApiKey) -> str:
        return ", ".join(assistant.slug for assistant in api_key.assistants.all()) or "todos"

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            secret = api_key_webhook_set(obj, url=form.cleaned_data.get("webhook_url", ""))
            self._show_secret(request, secret)
            return
        try:
            created, raw_key = api_key_create(
                name=obj.name,
                assistants=form.cleaned_data.get("assistants") or (),
                webhook_url=form.cleaned_data.get("webhook_url", ""),
            )
        except ApiKeyNameTaken:  # created by someone else between the form's check and now
            raise PermissionDenied("Ya existe una llave con ese nombre.") from None
        for name in ("pk", "prefix", "hashed_key", "created_at", "webhook_secret"):
            setattr(obj, name, getattr(created, name))
        obj._state = created._state  # the row exists: the form's many-to-many save (the assistants) may run
        messages.warning(
            request,
            f"Copia la llave ahora; no se vuelve a mostrar: {raw_key} (encabezado «Authorization: Api-Key {raw_key}»).",
        )
        self._show_secret(request, created.webhook_secret or None)

    def _show_secret(self, request: HttpRequest, secret: str | None) -> None:
        if secret:
            messages.warning(
                request,
                f"Copia el secreto del webhook ahora; no se vuelve a mostrar: {secret} "
                "(firma HMAC-SHA256 del cuerpo en «X-KVKy-Signature: sha256=…»).",
            )

    @admin.action(description="Revocar las llaves seleccionadas")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        changed = api_keys_set_active(queryset, active=False)
        self.message_user(request, f"Llaves revocadas: {changed}. Dejan de funcionar en unos segundos.")

    @admin.action(description="Reactivar las llaves seleccionadas")
    def restore(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        changed = api_keys_set_active(queryset, active=True)
        self.message_user(request, f"Llaves reactivadas: {changed}.")

    @admin.action(description="Generar un nuevo secreto del webhook")
    def rotate_webhook_secret(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset.exclude(webhook_url=""):
            self.message_user(
                request,
                f"Nuevo secreto del webhook de «{api_key.name}» (no se vuelve a mostrar): "
                f"{api_key_webhook_secret_rotate(api_key)}",
                messages.WARNING,
            )
