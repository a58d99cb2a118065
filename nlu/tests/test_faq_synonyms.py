"""FAQ matching on a knowledge base nobody tuned the vocabulary for: a made-up employer's FAQs,
written formally, asked in everyday words (data/new_employer_*.csv)."""

import csv
import logging
from functools import lru_cache
from pathlib import Path

import pytest

from nlu import faq, thesaurus
from nlu.faq import CONFIDENCE_THRESHOLD, FaqEntry, FaqIndex
from nlu.tests.conftest import THESAURUS_FILE
from nlu.thesaurus import parse

DATA = Path(__file__).resolve().parent / "data"
INSTALLED = THESAURUS_FILE.is_file()
needs_thesaurus = pytest.mark.skipif(not INSTALLED, reason="mythes-es is not installed (apt-get install mythes-es)")


def build(rows: list[dict[str, str]]) -> FaqIndex:
    return FaqIndex.build(
        FaqEntry(id=n, question=row["question"], answer=row["answer"], additional_info=row.get("additional_info", ""))
        for n, row in enumerate(rows, start=1)
    )


@lru_cache
def new_employer() -> FaqIndex:
    with (DATA / "new_employer_faqs.csv").open(encoding="utf-8") as file:
        return build(list(csv.DictReader(file)))


def questions(answered: bool) -> list[tuple[str, str]]:
    with (DATA / "new_employer_questions.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return [(row["message"], row["expected"]) for row in rows if bool(row["expected"]) == answered]


def confident_question(index: FaqIndex, text: str) -> str | None:
    match = index.best(text)
    return match.question if match and match.score >= CONFIDENCE_THRESHOLD else None


@pytest.fixture
def no_thesaurus(tmp_path):
    thesaurus.configure(tmp_path / "missing.dat")
    faq.forget_thesaurus()
    yield
    thesaurus.configure(THESAURUS_FILE)
    faq.forget_thesaurus()


@needs_thesaurus
def test_it_answers_everyday_paraphrases_of_a_new_employers_faqs():
    # Without synonyms 15 of these 47 get the right answer (32%); with them 21 (45%).
    cases = questions(answered=True)
    right = sum(confident_question(new_employer(), message) == expected for message, expected in cases)
    assert right / len(cases) >= 0.42


@needs_thesaurus
@pytest.mark.parametrize("message", [message for message, _ in questions(answered=False)])
def test_it_says_it_does_not_know_what_no_faq_answers(message):
    assert confident_question(new_employer(), message) is None


@needs_thesaurus
def test_it_matches_a_faq_word_through_its_synonym():
    index = build(
        [
            {"question": "¿Qué indumentaria se requiere?", "answer": "Uniforme institucional."},
            {"question": "¿Dónde se ubica el comedor?", "answer": "En el segundo nivel."},
        ]
    )
    assert confident_question(index, "qué atuendo se requiere") == "¿Qué indumentaria se requiere?"


@needs_thesaurus
def test_it_weighs_a_synonym_below_the_faqs_own_word():
    index = build(
        [
            {"question": "¿Qué indumentaria se requiere en tienda?", "answer": "Uniforme institucional."},
            {"question": "¿Dónde se ubica el comedor?", "answer": "En el segundo nivel."},
        ]
    )
    assert (
        index.best("qué atuendo se requiere en tienda").score
        < index.best("qué indumentaria se requiere en tienda").score
    )


@needs_thesaurus
def test_it_reads_a_dictionary_word_as_no_typo_of_a_faq_word():
    index = build([{"question": "¿Cuántos días de vacaciones tengo?", "answer": "Doce días hábiles."}])
    assert confident_question(index, "dan acciones") is None


def test_it_matches_without_a_thesaurus_and_warns_once(no_thesaurus, caplog):
    with caplog.at_level(logging.WARNING, logger="nlu.thesaurus"):
        for _ in range(2):
            index = build([{"question": "¿Qué indumentaria se requiere?", "answer": "Uniforme institucional."}])
            assert confident_question(index, "qué indumentaria se requiere") == "¿Qué indumentaria se requiere?"
            assert confident_question(index, "qué atuendo se requiere") is None
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1 and "apt-get install mythes-es" in warnings[0]


def test_it_reads_only_single_word_literal_synonyms_from_the_thesaurus_file():
    text = (
        "UTF-8\nsueldo|2\n(Nombre)|salario|paga extra|Nómina\n-|jornal (NoRAE)|miseria (fig.)\n"
        "de golpe|1\n-|súbitamente\n"
    )
    parsed = parse(text, faq.fold)
    assert parsed.synonyms("sueldo") == ("salario", "nomina", "jornal")
    assert "de golpe" not in parsed


# An employer whose year-end-bonus question shares its pay verb with the payroll question and its
# benefit with the benefits question: "aguinaldo" is listed in the thesaurus with "paga" and "extra".
PAY_AND_BENEFITS = [
    {
        "question": "¿Con qué periodicidad se efectúa el pago de nómina?",
        "answer": "La nómina se cubre cada catorce días mediante transferencia bancaria.",
    },
    {
        "question": "¿Cuándo se paga el aguinaldo?",
        "answer": "El aguinaldo, equivalente a veinte días, se entrega a más tardar el 20 de diciembre.",
    },
    {
        "question": "¿Cuáles son las prestaciones superiores a las de ley?",
        "answer": "Seguro de gastos médicos mayores, fondo de ahorro y vales de despensa.",
    },
    {"question": "¿Dónde se ubica el comedor?", "answer": "En el segundo piso del corporativo."},
    {"question": "¿Cuál es el horario de la jornada?", "answer": "De lunes a viernes de 9 a 18 horas."},
]


@needs_thesaurus
@pytest.mark.parametrize(
    "message", ["cada cuándo nos pagan", "qué días depositan la quincena", "cada cuándo me dan mi salario"]
)
def test_it_answers_how_often_pay_comes_with_the_payroll_faq_not_the_bonus_one(message):
    assert confident_question(build(PAY_AND_BENEFITS), message) == "¿Con qué periodicidad se efectúa el pago de nómina?"


@needs_thesaurus
@pytest.mark.parametrize(
    "message", ["qué otros beneficios tienen", "qué prestaciones dan", "qué me dan además del sueldo"]
)
def test_it_answers_what_benefits_there_are_with_the_benefits_faq_not_the_bonus_one(message):
    assert (
        confident_question(build(PAY_AND_BENEFITS), message) == "¿Cuáles son las prestaciones superiores a las de ley?"
    )


@needs_thesaurus
def test_it_still_answers_the_bonus_question_with_the_bonus_faq():
    assert confident_question(build(PAY_AND_BENEFITS), "cuándo dan el aguinaldo") == "¿Cuándo se paga el aguinaldo?"


@needs_thesaurus
def test_it_gives_no_faq_the_win_on_a_synonym_of_words_several_faqs_share():
    # "retribución" is a synonym of "pago", "paga" and "aguinaldo": it says pay, not which pay.
    assert confident_question(build(PAY_AND_BENEFITS), "cada cuánto es la retribución") is None
