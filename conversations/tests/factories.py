import time

import factory

from conversations.models import (
    FAQ,
    Assistant,
    AssistantKind,
    CannedReply,
    Channel,
    ChannelNumber,
    Conversation,
    Message,
    RateWindow,
)


class AssistantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assistant
        django_get_or_create = ("slug",)

    slug = "kvky"
    kind = AssistantKind.SALES
    name = "KVKy"
    greeting = "¡Hola! Soy KVKy, tu asesor de autos seminuevos."
    value_proposition = "Todos nuestros autos pasan una inspección de 240 puntos y tienen garantía."
    locations_text = "Tenemos sucursales en CDMX, Guadalajara y Monterrey."
    folio_prefix = "KVK"


class OnboardingAssistantFactory(AssistantFactory):
    slug = "blinky"
    kind = AssistantKind.ONBOARDING
    name = "Blinky"
    greeting = "¡Hola! Soy Blinky y te acompaño en tu integración."
    value_proposition = "Aquí creces con un equipo que te apoya."
    locations_text = "Nuestra oficina está en Av. Reforma 250, CDMX. Web: https://ejemplo.mx"
    folio_prefix = "BLK"


class ChannelNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelNumber

    assistant = factory.SubFactory(AssistantFactory)
    number = "+14155238886"


class FAQFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQ

    assistant = factory.SubFactory(OnboardingAssistantFactory)
    question = factory.Sequence(lambda n: f"¿Pregunta {n}?")
    answer = "Respuesta."
    additional_info = ""


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    assistant = factory.SubFactory(AssistantFactory)
    channel = Channel.API
    sender = factory.Sequence(lambda n: f"+5215500{n:06d}")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    role = "user"
    text = "hola"


class RateWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateWindow

    scope = "test"
    key_hash = factory.Sequence(lambda n: f"{n:032x}")
    window_start = factory.LazyFunction(time.time)
    count = 1


class CannedReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CannedReply

    assistant = factory.SubFactory(AssistantFactory)
    title = factory.Sequence(lambda n: f"Respuesta {n}")
    text = "Con gusto te ayudo. ¿Qué día puedes venir a verlo?"
