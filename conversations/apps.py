from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.signals import setting_changed


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = "Conversaciones"

    def ready(self) -> None:
        from conversations import signals  # noqa: F401  (drops the engine's cached FAQs and assistants on writes)
        from conversations.channels import checks  # noqa: F401  (registers the WhatsApp system checks)
        from conversations.engine import checks as engine_checks  # noqa: F401  (the language data check)
        from nlu import dictionary, pipeline, thesaurus

        # nlu reads no Django settings: it is told where the thesaurus and the dictionary are (loaded on first
        # use) and where trained intent models are kept.
        thesaurus.configure(getattr(settings, "THESAURUS_PATH", ""))
        dictionary.configure(getattr(settings, "SPANISH_DICTIONARY_PATH", ""))
        model_dir = getattr(settings, "NLU_MODEL_DIR", "")
        pipeline.configure(model_dir=Path(model_dir) if model_dir else None)
        setting_changed.connect(_language_file_changed, dispatch_uid="conversations.language_files")


def _language_file_changed(*, setting: str, value: Any, **kwargs: Any) -> None:
    """override_settings(THESAURUS_PATH=...) points nlu at the new file, as reading settings did."""
    from nlu import dictionary, thesaurus

    if setting == "THESAURUS_PATH":
        thesaurus.configure(value or "")
    elif setting == "SPANISH_DICTIONARY_PATH":
        dictionary.configure(value or "")
