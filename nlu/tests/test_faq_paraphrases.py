"""FAQ matching on knowledge bases nobody tuned the vocabulary for (an auto-parts plant, a private university,
a retail employer and a call centre, data/<base>_*.csv), asked in everyday words, slang and situations instead
of topics. The call centre was written after the others as a held-out check: nothing was tuned on it."""

import csv
from functools import lru_cache
from pathlib import Path

import pytest

from nlu import sentences
from nlu.faq import CONFIDENCE_THRESHOLD, FaqEntry, FaqIndex
from nlu.tests.conftest import THESAURUS_FILE

DATA = Path(__file__).resolve().parent / "data"
BASES = ("auto_parts_plant", "university", "new_employer", "call_center")
needs_thesaurus = pytest.mark.skipif(
    not THESAURUS_FILE.is_file(), reason="mythes-es is not installed (apt-get install mythes-es)"
)


@lru_cache
def index(base: str) -> FaqIndex:
    with (DATA / f"{base}_faqs.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    entries = [
        FaqEntry(id=n, question=row["question"], answer=row["answer"], additional_info=row["additional_info"])
        for n, row in enumerate(rows, start=1)
    ]
    return FaqIndex.build(entries, meaning=sentences.encoder())


def questions(base: str, answered: bool) -> list[tuple[str, str]]:
    with (DATA / f"{base}_questions.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return [
        (row.get("question") or row["message"], row["expected"]) for row in rows if bool(row["expected"]) == answered
    ]


def confident_question(faqs: FaqIndex, text: str) -> str | None:
    match = faqs.best(text)
    return match.question if match and match.score >= CONFIDENCE_THRESHOLD else None


def share_right(base: str) -> float:
    cases = questions(base, answered=True)
    return sum(confident_question(index(base), text) == expected for text, expected in cases) / len(cases)


# Right answers before the matcher read word variants and the answers' words as cover: plant 14/53 (26%),
# university 13/49 (27%); after, 20/53 (38%) and 17/49 (35%); retail 23/47 (49%); the call centre, written
# later and held out, 18/47 (38%). Reading meaning as well (nlu/sentences.py): 26/53, 25/49, 27/47, 25/47.
FLOORS = {"auto_parts_plant": 0.47, "university": 0.49, "new_employer": 0.55, "call_center": 0.51}
# Questions no FAQ answers that are answered all the same: the retail employer's "cuál es el sueldo del director"
# and the call centre's "pagan el día de mi cumpleaños" get the pay FAQ (before meaning was read, the call
# centre's "¿dan vales de despensa?" and "¿cuál es la contraseña del wifi?" were answered instead).
UNANSWERABLE_ANSWERED = {"auto_parts_plant": 0, "university": 0, "new_employer": 1, "call_center": 1}


@needs_thesaurus
@pytest.mark.parametrize("base", BASES)
def test_it_answers_everyday_paraphrases_of_formal_faqs(base):
    assert share_right(base) >= FLOORS[base]


@needs_thesaurus
@pytest.mark.parametrize("base", BASES)
def test_it_says_it_does_not_know_what_no_faq_of_the_base_answers(base):
    answered = [text for text, _ in questions(base, answered=False) if confident_question(index(base), text)]
    assert len(answered) <= UNANSWERABLE_ANSWERED[base], answered


@needs_thesaurus
@pytest.mark.parametrize(
    "base, text",
    [
        ("auto_parts_plant", "¿y hay gimnasio?"),
        ("auto_parts_plant", "¿y puedo traer a mi perro?"),
        ("university", "¿hay guardería?"),
        ("university", "¿y dan clases de yoga?"),
    ],
)
def test_it_names_the_words_of_a_follow_up_no_faq_of_the_base_says(base, text):
    assert index(base).foreign_terms(text)


@needs_thesaurus
@pytest.mark.parametrize(
    "base, text",
    [
        ("auto_parts_plant", "¿y cuánto cuesta?"),
        ("auto_parts_plant", "¿dónde veo las paradas?"),
        ("auto_parts_plant", "¿y si no las tomo?"),
        ("university", "¿con cuánta anticipación?"),
        ("university", "¿y a qué hora abre?"),
    ],
)
def test_it_finds_nothing_foreign_in_a_follow_up_about_the_answer_at_hand(base, text):
    assert index(base).foreign_terms(text) == []


@needs_thesaurus
@pytest.mark.parametrize(
    "base, text, expected",
    [
        ("auto_parts_plant", "me incapacitaron", "¿Cómo se entrega una incapacidad médica expedida por el IMSS?"),
        ("auto_parts_plant", "cuánto pagan las horas extras", "¿Cómo se solicita el pago de tiempo extra?"),
        (
            "university",
            "nos dan vacaciones en semana santa",
            "¿Cuáles son los periodos vacacionales del personal académico?",
        ),
    ],
)
def test_it_reads_another_form_of_a_faqs_word_as_that_word(base, text, expected):
    assert index(base).best(text).question == expected
