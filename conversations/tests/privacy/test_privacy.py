import json
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.crypto import salted_hmac

from conversations.models import Channel, Conversation, ForgottenMessage, Message
from conversations.privacy import (
    NotAPhoneNumber,
    RetentionNotConfigured,
    conversations_purge,
    customer_forget,
    message_is_forgotten,
)
from conversations.tests.factories import AssistantFactory, ConversationFactory, MessageFactory
from leads.models import Lead
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

CUSTOMER = "+5215512345678"
CUSTOMER_E164 = "+525512345678"


def conversation_last_written(days_ago: int, **fields: object) -> Conversation:
    conversation = ConversationFactory(**fields)
    MessageFactory(conversation=conversation)
    MessageFactory(conversation=conversation, role="bot", text="¡Hola!")
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=timezone.now() - timedelta(days=days_ago))
    return conversation


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_it_deletes_conversations_older_than_the_retention_with_their_messages():
    old = conversation_last_written(40)
    recent = conversation_last_written(5)

    report = conversations_purge(days=30)

    assert (report.conversations, report.messages) == (1, 2)
    assert list(Conversation.objects.all()) == [recent]
    assert not Message.objects.filter(conversation_id=old.pk).exists()


def test_it_keeps_the_leads_of_a_purged_conversation_without_it():
    lead = LeadFactory(conversation=conversation_last_written(40))

    conversations_purge(days=30)

    lead.refresh_from_db()
    assert (lead.conversation, lead.customer_phone) == (None, CUSTOMER_E164)


def test_it_deletes_nothing_on_a_dry_run():
    conversation_last_written(40)

    report = conversations_purge(days=30, dry_run=True)

    assert (report.conversations, Conversation.objects.count()) == (1, 1)


def test_it_reads_the_retention_from_the_setting(settings):
    settings.TRANSCRIPT_RETENTION_DAYS = 10
    conversation_last_written(11)
    kept = conversation_last_written(9)

    conversations_purge()

    assert list(Conversation.objects.all()) == [kept]


def test_it_keeps_every_transcript_when_no_retention_is_set(settings):
    settings.TRANSCRIPT_RETENTION_DAYS = None

    with pytest.raises(RetentionNotConfigured):
        conversations_purge()


def test_it_says_the_command_purged_nothing_without_a_retention(settings):
    settings.TRANSCRIPT_RETENTION_DAYS = None
    conversation_last_written(400)

    output = run("purge_conversations")

    assert "se conservan" in output
    assert Conversation.objects.count() == 1


def test_it_prints_what_the_purge_command_deleted():
    conversation_last_written(40)

    output = run("purge_conversations", "--days", "30")

    assert "Se borraron 1 conversaciones y 2 mensajes" in output
    assert Conversation.objects.count() == 0


def test_it_prints_what_a_dry_run_would_delete():
    conversation_last_written(40)

    output = run("purge_conversations", "--days", "30", "--dry-run")

    assert "Se borrarían 1 conversaciones y 2 mensajes" in output
    assert Conversation.objects.count() == 1


def test_it_forgets_the_customers_conversations_on_every_channel():
    assistant = AssistantFactory()
    for channel, sender in [(Channel.WHATSAPP, CUSTOMER), (Channel.API, "55 1234 5678")]:
        conversation_last_written(0, assistant=assistant, channel=channel, sender=sender)
    someone_else = conversation_last_written(0, assistant=assistant, sender="+5215587654321")

    report = customer_forget("+52 1 55 1234 5678")

    assert (report.conversations, report.messages) == (2, 4)
    assert list(Conversation.objects.all()) == [someone_else]


def test_it_blanks_the_phone_and_name_of_the_customers_leads_and_keeps_the_notes():
    lead = LeadFactory(customer_phone="5512345678", customer_name="Mariana", notes="Quiere un Versa 2020.")

    report = customer_forget(CUSTOMER)

    lead.refresh_from_db()
    assert report.leads == 1
    assert (lead.customer_phone, lead.customer_name, lead.notes) == ("", "", "Quiere un Versa 2020.")


def test_it_anonymises_a_lead_of_a_forgotten_conversation_that_gave_another_phone():
    conversation = conversation_last_written(0, sender=CUSTOMER)
    lead = LeadFactory(conversation=conversation, customer_phone="+5215599990000", customer_name="Mariana")

    customer_forget(CUSTOMER)

    lead.refresh_from_db()
    assert (lead.customer_phone, lead.customer_name, lead.conversation) == ("", "", None)


def test_it_leaves_other_customers_leads_alone():
    LeadFactory(customer_phone="+5215587654321", customer_name="Luis")

    customer_forget(CUSTOMER)

    assert Lead.objects.get().customer_name == "Luis"


def test_it_never_matches_a_web_chat_session_key():
    conversation_last_written(0, channel=Channel.WEB, sender="a1b2c3d4e5f6g7h8i9j0k5512345678")

    customer_forget(CUSTOMER)

    assert Conversation.objects.count() == 1


def test_it_refuses_something_that_is_not_a_phone_number():
    with pytest.raises(NotAPhoneNumber):
        customer_forget("12345")


def test_it_prints_what_forget_customer_did_with_the_phone_masked():
    conversation_last_written(0, sender=CUSTOMER)
    LeadFactory(customer_phone=CUSTOMER, conversation=None)

    output = run("forget_customer", CUSTOMER)

    assert "1 conversaciones y 2 mensajes borrados; 1 prospectos anonimizados" in output
    assert CUSTOMER not in output


def test_it_fails_the_forget_command_on_a_bad_phone():
    with pytest.raises(CommandError):
        run("forget_customer", "hola")


def log_entry(object_repr: str, change_message: str = "") -> LogEntry:
    staff = get_user_model().objects.get_or_create(username="gerente")[0]
    return LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(Lead),
        object_id="1",
        object_repr=object_repr,
        action_flag=CHANGE,
        change_message=change_message,
    )


def test_it_forgets_the_web_chat_where_the_customer_typed_the_phone():
    chat = conversation_last_written(0, channel=Channel.WEB, sender="k3l9f8a7sessionkey")
    MessageFactory(conversation=chat, text="claro, es el 55 1234 5678")
    LeadFactory(conversation=chat, customer_phone="5512345678")

    report = customer_forget(CUSTOMER)

    assert (report.conversations, report.messages) == (1, 3)
    assert not Conversation.objects.filter(pk=chat.pk).exists()


@pytest.mark.parametrize(
    "written", ["(55) 1234 5678", "+52 55 1234 5678", "52-55-1234-5678", "+52 1 55 1234 5678", "55 12 34 56 78"]
)
def test_it_takes_the_phone_out_of_other_customers_messages_in_any_format(written):
    message = MessageFactory(text=f"el de mi hermana es {written}; el mío, 55 8765 4321. Busco un 2021 de $226,999")

    report = customer_forget(CUSTOMER)

    message.refresh_from_db()
    assert report.redacted_messages == 1
    assert message.text == "el de mi hermana es [teléfono borrado]; el mío, 55 8765 4321. Busco un 2021 de $226,999"


def test_it_takes_the_phone_out_of_the_stored_payload_of_other_messages():
    message = MessageFactory(text="anota el 5512345678", payload={"Body": "anota el 5512345678", "NumMedia": "0"})

    customer_forget(CUSTOMER)

    message.refresh_from_db()
    assert message.payload == {"Body": "anota el [teléfono borrado]", "NumMedia": "0"}


def test_it_takes_the_phone_out_of_what_the_customers_leads_asked():
    lead = LeadFactory(customer_phone=CUSTOMER, conversation=None, request="lo quiero, mi cel 55-1234-5678")

    customer_forget(CUSTOMER)

    lead.refresh_from_db()
    assert lead.request == "lo quiero, mi cel [teléfono borrado]"


def test_it_takes_the_phone_out_of_the_admin_log():
    entry = log_entry(f"kvky · {CUSTOMER}")

    report = customer_forget(CUSTOMER)

    entry.refresh_from_db()
    assert report.redacted_log_entries == 1
    assert entry.object_repr == "kvky · [teléfono borrado]"


def test_it_takes_the_customers_name_out_of_the_admin_log_keeping_its_json():
    LeadFactory(customer_phone=CUSTOMER, customer_name="Mariana López", conversation=None)
    entry = log_entry("KVK-TEST-9999", json.dumps([{"added": {"name": "nota", "object": "Llamar a mariana lópez"}}]))

    customer_forget(CUSTOMER)

    entry.refresh_from_db()
    assert json.loads(entry.change_message) == [{"added": {"name": "nota", "object": "Llamar a [nombre borrado]"}}]


def test_it_remembers_the_forgotten_message_ids_only_as_keyed_hashes():
    sid = "SM0123456789abcdef0123456789abcdef"
    MessageFactory(conversation=ConversationFactory(channel=Channel.WHATSAPP, sender=CUSTOMER), external_id=sid)

    customer_forget(CUSTOMER)

    expected = salted_hmac("conversations.privacy.forgotten-message", sid, algorithm="sha256").hexdigest()
    assert list(ForgottenMessage.objects.values_list("digest", flat=True)) == [expected]
    assert message_is_forgotten(sid)


def test_it_still_knows_a_forgotten_message_id_after_the_secret_key_rotates(settings):
    sid = "SM0123456789abcdef0123456789abcdef"
    MessageFactory(conversation=ConversationFactory(channel=Channel.WHATSAPP, sender=CUSTOMER), external_id=sid)
    customer_forget(CUSTOMER)

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-" + "x" * 40

    assert message_is_forgotten(sid)


def test_it_prints_in_spanish_what_else_forget_customer_took_out():
    MessageFactory(text="el de mi hermana es (55) 1234 5678")
    log_entry(f"kvky · {CUSTOMER}")

    output = run("forget_customer", "+52 55 1234 5678")

    assert "teléfono quitado de 1 mensajes de otras conversaciones; 1 registros de la bitácora del admin" in output
    assert "1234" not in output


def test_it_forgets_a_web_chat_that_left_the_phone_and_a_stated_name():
    conversation = ConversationFactory(
        channel="web", sender="web-9a8b", customer_name="Juan Pérez", customer_phone="+525512340000"
    )

    customer_forget("55 1234 0000")

    assert not Conversation.objects.filter(pk=conversation.pk).exists()
