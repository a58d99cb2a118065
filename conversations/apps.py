from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = "Conversaciones"

    def ready(self) -> None:
        from conversations import signals  # noqa: F401  (drops the engine's cached FAQs and assistants on writes)
        from conversations.channels import checks  # noqa: F401  (registers the WhatsApp system checks)
