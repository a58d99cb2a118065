"""The README's example answer is what `make run`'s demo data gives for the README's first request."""

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

README = Path(settings.BASE_DIR) / "README.md"


def _readme_request_and_answer() -> tuple[dict[str, Any], dict[str, Any]]:
    text = README.read_text(encoding="utf-8")
    request = json.loads(re.search(r"-d '(\{\"assistant\".*?\})'", text).group(1))
    answer_block = re.search(r"the first request above answers:\s*```json\n(.*?)```", text, re.S).group(1)
    answer = json.loads(answer_block.replace("\"…\": \"…\"", "\"_\": null").replace("c2f1…", "c2f1"))
    return request, answer


@pytest.fixture
def demo_data(db: None) -> None:
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.usefixtures("demo_data")
def test_it_answers_the_readme_request_as_the_readme_shows(post_chat: Callable[..., Any]) -> None:
    request, shown = _readme_request_and_answer()
    answer = post_chat(request).json()
    assert (answer["intent"], answer["slots"], answer["vehicles_total"]) == (
        shown["intent"],
        shown["slots"],
        shown["vehicles_total"],
    )
    assert answer["reply"].startswith(shown["reply"].split("\n…")[0])
    first_shown = {key: value for key, value in shown["vehicles"][0].items() if key != "_"}
    assert {key: answer["vehicles"][0][key] for key in first_shown} == first_shown
