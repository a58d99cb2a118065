"""Twilio's WhatsApp webhooks (contract §6). The views verify, parse and call the channel's services."""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from conversations.channels.inbound import whatsapp_receive
from conversations.channels.outbound import delivery_status_record, status_callback_url
from conversations.channels.whatsapp import (
    InboundWhatsApp,
    InvalidWebhook,
    request_url,
    signature_is_valid,
    twiml,
    webhook_field,
)
from kvky_site.database_errors import DATABASE_ERRORS, database_unavailable_headers

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if not signature_is_valid(request):
        logger.warning("WhatsApp webhook refused: missing or wrong X-Twilio-Signature for %s.", request_url(request))
        return HttpResponseForbidden("Firma de Twilio no válida.")
    try:
        inbound = InboundWhatsApp.from_post(request.POST)
    except InvalidWebhook as error:
        return HttpResponseBadRequest(str(error))
    try:
        answer = whatsapp_receive(inbound)
    except DATABASE_ERRORS:
        raise  # a 503 (kvky_site.database_errors): Twilio retries, and the retry is stored once
    except Exception:
        # Not an apology in a 200: Twilio would never deliver the message again. A 5xx makes it retry, and the
        # stored message (awaiting its reply) is answered by the retry or by the sweep.
        logger.exception("WhatsApp message %s could not be answered yet: asking Twilio to retry.", inbound.message_sid)
        return HttpResponse(
            "No pudimos procesar el mensaje; reintenta.", status=503, headers=database_unavailable_headers()
        )
    callback = status_callback_url(answer.reply_key, base=request.build_absolute_uri("/"))
    return HttpResponse(twiml(answer.reply, status_callback=callback), content_type="text/xml; charset=utf-8")


@csrf_exempt
@require_POST
def whatsapp_status(request: HttpRequest) -> HttpResponse:
    """Twilio's status callback for a message we sent: records sent, delivered, read, failed, undelivered."""
    if not signature_is_valid(request):
        logger.warning("WhatsApp status callback refused: missing or wrong X-Twilio-Signature.")
        return HttpResponseForbidden("Firma de Twilio no válida.")
    delivery_status_record(
        key=request.GET.get("key", ""),
        message_sid=webhook_field(request.POST, "MessageSid")[:64],  # no NUL: PostgreSQL would refuse the lookup
        status=webhook_field(request.POST, "MessageStatus"),
        error_code=webhook_field(request.POST, "ErrorCode"),
    )
    return HttpResponse(status=204)
