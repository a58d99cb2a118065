import factory

from conversations.tests.factories import AssistantFactory, ConversationFactory
from leads.models import Lead


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    folio = factory.Sequence(lambda n: f"KVK-TEST-{n:04d}")
    assistant = factory.SubFactory(AssistantFactory)
    conversation = factory.SubFactory(ConversationFactory, assistant=factory.SelfAttribute("..assistant"))
    customer_phone = "+5215512345678"
