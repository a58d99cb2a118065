"""A stored WhatsApp message is always answered: a failure after it is stored (the engine, the database, the
queue) answers Twilio 5xx so it retries, the retry answers the message once, and a sweep answers what no retry
brought back.

Failures are injected at the edge of the outside world: the database refuses one kind of statement (Django's
execute_wrapper, as a full disk or a dropped connection would), or the broker client refuses a task.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, connection
from django.utils import timezone

from catalog.tests.factories import VehicleFactory
from conversations.channels.inbound import inbound_sweep
from conversations.models import Channel, Message, MessageRole
from conversations.services import TurnAlreadyStored, turn_reply
from conversations.tasks import reply_to_inbound
from conversations.tests.channels.conftest import twiml_messages
from conversations.tests.channels.twilio_fakes import CUSTOMER, webhook_params
from conversations.tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db

Statement = Callable[[str, tuple], bool]


@contextmanager
def database_refuses(statement: Statement, error: type[Exception] = DatabaseError) -> Iterator[None]:
    """The database raises `error` for every statement `statement(sql, params)` picks, and runs the rest."""

    def refuse(execute, sql, params, many, context):
        if statement(sql, tuple(params or ())):
            raise error("injected failure")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def inserting_the_bots_reply(sql: str, params: tuple) -> bool:
    return sql.lstrip().upper().startswith('INSERT INTO "CONVERSATIONS_MESSAGE"') and MessageRole.BOT in params


def reading_the_catalog(sql: str, params: tuple) -> bool:
    return bool(re.search(r'FROM "catalog_vehicle"', sql))


def marking_the_reply_queued(sql: str, params: tuple) -> bool:
    return sql.lstrip().upper().startswith('UPDATE "CONVERSATIONS_MESSAGE" SET "DELIVERY_STATUS"')


def customer_message() -> Message:
    return Message.objects.get(role=MessageRole.USER)


def bot_replies() -> list[Message]:
    return list(Message.objects.filter(role=MessageRole.BOT))


def sweep_now() -> int:
    return inbound_sweep(grace=timedelta(0), max_age=timedelta(hours=24))


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run what a call queued on commit (tasks run eagerly here, without a broker)."""

    def run(call: Callable[..., object], *args: object, **kwargs: object) -> object:
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


class TestSyncMode:
    def test_it_answers_503_when_the_reply_cannot_be_stored(self, post_signed, kvky):
        with database_refuses(inserting_the_bots_reply):
            response = post_signed(webhook_params("hola"))

        assert (response.status_code, response.headers["Retry-After"]) == (503, "30")

    def test_it_keeps_the_message_awaiting_its_reply_when_the_reply_cannot_be_stored(self, post_signed, kvky):
        with database_refuses(inserting_the_bots_reply):
            post_signed(webhook_params("hola"))

        assert (customer_message().awaiting_reply, bot_replies()) == (True, [])

    def test_it_answers_twilios_retry_of_a_message_left_unanswered_once(self, post_signed, kvky):
        params = webhook_params("hola")
        with database_refuses(inserting_the_bots_reply):
            post_signed(params)

        retries = [twiml_messages(post_signed(params)) for _ in range(2)]

        assert [len(messages) for messages in retries] == [1, 0]
        assert retries[0] == [bot_replies()[0].text]

    def test_it_answers_503_when_the_engine_fails_reading_the_catalog(self, post_signed, kvky):
        VehicleFactory()
        with database_refuses(reading_the_catalog, OperationalError):
            response = post_signed(webhook_params("¿tienen algún onix de menos de 300 mil?"))

        assert response.status_code == 503
        assert customer_message().awaiting_reply

    def test_it_answers_the_retry_after_the_engine_failed(self, post_signed, kvky):
        VehicleFactory()
        params = webhook_params("¿tienen algún onix de menos de 300 mil?")
        with database_refuses(reading_the_catalog, OperationalError):
            post_signed(params)

        retry = post_signed(params)

        assert (retry.status_code, len(twiml_messages(retry))) == (200, 1)

    # Real transactions: the failing statement runs outside any atomic block, as it does in production.
    @pytest.mark.django_db(transaction=True)
    def test_it_answers_the_retry_with_the_reply_a_failure_kept_from_twilio(self, post_signed, kvky):
        params = webhook_params("hola")
        with database_refuses(marking_the_reply_queued):
            failed = post_signed(params)
        [stored] = bot_replies()

        retries = [twiml_messages(post_signed(params)) for _ in range(2)]

        assert failed.status_code == 503
        assert retries == [[stored.text], []]
        assert len(bot_replies()) == 1

    def test_it_stays_silent_on_the_retry_of_a_message_it_answered(self, post_signed, kvky):
        params = webhook_params("hola")
        first = post_signed(params)

        retry = post_signed(params)

        assert (len(twiml_messages(first)), twiml_messages(retry)) == (1, [])

    def test_it_settles_a_message_it_answers(self, post_signed, kvky):
        post_signed(webhook_params("hola"))

        assert customer_message().awaiting_reply is False


class TestAsyncMode:
    """The webhook queues the reply as soon as the message is committed (at once: no atomic block around it)."""

    @pytest.fixture(autouse=True)
    def _async_mode(self, settings):
        settings.REPLY_MODE = "async"

    @pytest.mark.django_db(transaction=True)
    def test_it_answers_503_when_the_task_cannot_be_queued(self, post_signed, kvky, deliver, monkeypatch):
        monkeypatch.setattr(reply_to_inbound, "delay", refusing_broker)

        response = deliver(post_signed, webhook_params("hola"))

        assert response.status_code == 503
        assert customer_message().awaiting_reply

    @pytest.mark.django_db(transaction=True)
    def test_it_sends_one_reply_on_the_retry_after_the_queue_refused(
        self, post_signed, kvky, deliver, monkeypatch, twilio_outbox
    ):
        params = webhook_params("hola")
        with monkeypatch.context() as broken:
            broken.setattr(reply_to_inbound, "delay", refusing_broker)
            deliver(post_signed, params)

        retries = [deliver(post_signed, params) for _ in range(2)]

        assert [(answer.status_code, twiml_messages(answer)) for answer in retries] == [(200, []), (200, [])]
        assert len(twilio_outbox.accepted) == 1

    def test_it_sends_the_reply_the_worker_failed_to_give_when_the_sweep_runs(
        self, post_signed, kvky, deliver, twilio_outbox
    ):
        with database_refuses(inserting_the_bots_reply):
            deliver(post_signed, webhook_params("hola"))  # the (eager) worker's turn fails
        assert twilio_outbox.accepted == []

        swept = [deliver(sweep_now) for _ in range(2)]

        assert swept == [1, 0]
        assert len(twilio_outbox.accepted) == 1
        assert twilio_outbox.accepted[0].data["Body"] == bot_replies()[0].text


def refusing_broker(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the broker refused the task")


class TestSweep:
    def test_it_sends_a_message_left_unanswered_through_the_rest_api_once(
        self, post_signed, kvky, deliver, twilio_outbox
    ):
        with database_refuses(inserting_the_bots_reply):
            post_signed(webhook_params("hola"))

        deliver(sweep_now)
        deliver(sweep_now)

        assert len(twilio_outbox.accepted) == 1
        assert customer_message().awaiting_reply is False

    def test_it_leaves_a_message_within_the_grace_to_the_normal_path(self, post_signed, kvky, twilio_outbox, deliver):
        with database_refuses(inserting_the_bots_reply):
            post_signed(webhook_params("hola"))

        taken = deliver(inbound_sweep, grace=timedelta(minutes=2), max_age=timedelta(hours=24))

        assert (taken, twilio_outbox.accepted) == (0, [])

    def test_it_leaves_a_message_older_than_the_max_age(self, post_signed, kvky, twilio_outbox, deliver):
        with database_refuses(inserting_the_bots_reply):
            post_signed(webhook_params("hola"))
        Message.objects.update(created_at=timezone.now() - timedelta(days=2))

        assert (deliver(sweep_now), twilio_outbox.accepted) == (0, [])

    def test_it_never_answers_the_excess_of_a_burst(self, post_signed, kvky, twilio_outbox, deliver, settings):
        settings.WHATSAPP_RATE_LIMIT_PER_MINUTE = 1
        for text in ["hola", "¿sigues?", "¿hola?"]:
            post_signed(webhook_params(text))  # answered, the notice, then silence

        assert (deliver(sweep_now), twilio_outbox.accepted) == (0, [])

    def test_it_ignores_messages_of_other_channels(self, kvky, deliver):
        conversation = ConversationFactory(assistant=kvky, channel=Channel.API, sender=CUSTOMER)
        Message.objects.create(conversation=conversation, role=MessageRole.USER, text="hola", awaiting_reply=True)

        assert deliver(sweep_now) == 0

    def test_it_runs_from_the_management_command(self, post_signed, kvky, twilio_outbox, capsys, deliver):
        with database_refuses(inserting_the_bots_reply):
            post_signed(webhook_params("hola"))

        deliver(call_command, "answer_unanswered", "--grace", "0")

        assert "Se retomaron 1 mensajes sin respuesta." in capsys.readouterr().out
        assert len(twilio_outbox.accepted) == 1

    def test_it_is_scheduled_every_minute_by_celery_beat(self):
        from kvky_site.celery import app

        [entry] = [entry for entry in app.conf.beat_schedule.values() if entry["task"].endswith("answer_unanswered")]

        assert (entry["task"] in app.tasks, entry["schedule"]) == (True, 60.0)


def test_it_stores_one_turn_when_two_workers_answer_the_same_message(kvky):
    conversation = ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP, sender=CUSTOMER)
    inbound = Message.objects.create(
        conversation=conversation, role=MessageRole.USER, text="hola", awaiting_reply=True
    )
    turn_reply(conversation=conversation, inbound=inbound, reply_key="reply-a")
    stale = Message.objects.get(pk=inbound.pk)
    stale.awaiting_reply = True  # the second worker read the message before the first one stored its turn

    with pytest.raises(TurnAlreadyStored):
        turn_reply(conversation=conversation, inbound=stale, reply_key="reply-b")

    assert len(bot_replies()) == 1
