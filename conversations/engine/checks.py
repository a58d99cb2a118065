"""System check: the engine's language data loads (`manage.py check`, run by `make test` and CI)."""

from typing import Any

from django.core.checks import Error, register

from nlu import language


@register()
def check_language_data(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        language.validate_all()
    except language.LanguageDataError as error:
        hint = "Fix the file under nlu/resources/; the engine cannot start without it."
        return [Error(str(error), hint=hint, id="nlu.E001")]
    return []
