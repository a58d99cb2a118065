import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conversations.faq_import import FaqImportError, import_faqs
from conversations.models import FAQ
from conversations.tests.factories import AssistantFactory, FAQFactory, OnboardingAssistantFactory

pytestmark = pytest.mark.django_db

HEADER = ["question", "answer", "additional_info"]


def _write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, **options) -> Path:
    with path.open("w", encoding=options.pop("encoding", "utf-8"), newline="") as file:
        csv.writer(file, **options).writerows([header, *rows])
    return path


def _questions(assistant) -> list[str]:
    return list(FAQ.objects.filter(assistant=assistant).order_by("position").values_list("question", flat=True))


# --- the sample file -----------------------------------------------------------


def test_it_imports_every_hr_faq_of_the_sample(shared_dir):
    assistant = OnboardingAssistantFactory()
    report = import_faqs(assistant, shared_dir / "data" / "hr_onboarding_faqs.csv")
    assert (report.created, report.errors, assistant.faqs.count()) == (25, [], 25)


def test_it_keeps_the_additional_info_of_the_sample(shared_dir):
    assistant = OnboardingAssistantFactory()
    import_faqs(assistant, shared_dir / "data" / "hr_onboarding_faqs.csv")
    payday = assistant.faqs.get(question="¿Cuándo es el día de pago?")
    assert payday.additional_info.startswith("Si el día cae en fin de semana")


def test_it_leaves_a_second_import_of_the_sample_unchanged(shared_dir):
    assistant = OnboardingAssistantFactory()
    import_faqs(assistant, shared_dir / "data" / "hr_onboarding_faqs.csv")
    report = import_faqs(assistant, shared_dir / "data" / "hr_onboarding_faqs.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 25)


# --- small files ------------------------------------------------------------------


def test_it_keeps_the_files_order(tmp_path):
    assistant = OnboardingAssistantFactory()
    import_faqs(assistant, _write_csv(tmp_path / "f.csv", [["¿B?", "b", ""], ["¿A?", "a", ""]]))
    assert _questions(assistant) == ["¿B?", "¿A?"]


def test_it_updates_a_faq_with_the_same_question(tmp_path):
    faq = FAQFactory(question="¿Cuándo me pagan?", answer="Viejo.")
    report = import_faqs(faq.assistant, _write_csv(tmp_path / "f.csv", [["¿Cuándo me pagan?", "Nuevo.", "Extra"]]))
    faq.refresh_from_db()
    assert (report.updated, faq.answer, faq.additional_info) == (1, "Nuevo.", "Extra")


def test_it_reports_rows_without_question_or_answer_by_line(tmp_path):
    assistant = OnboardingAssistantFactory()
    path = _write_csv(tmp_path / "f.csv", [["¿A?", "a", ""], ["", "sin pregunta", ""], ["¿C?", "  ", ""]])
    report = import_faqs(assistant, path)
    assert [(error.line, error.message) for error in report.errors] == [
        (3, "la pregunta está vacía"),
        (4, "la respuesta está vacía"),
    ]
    assert _questions(assistant) == ["¿A?"]


def test_it_reports_a_repeated_question(tmp_path):
    assistant = OnboardingAssistantFactory()
    report = import_faqs(assistant, _write_csv(tmp_path / "f.csv", [["¿A?", "uno", ""], ["¿A?", "dos", ""]]))
    assert ([error.line for error in report.errors], assistant.faqs.get().answer) == ([3], "uno")


def test_it_reads_keywords_one_per_line(tmp_path):
    assistant = OnboardingAssistantFactory()
    path = _write_csv(tmp_path / "f.csv", [["¿Día de pago?", "El 15.", "", "quincena | nómina"]], [*HEADER, "keywords"])
    import_faqs(assistant, path)
    assert assistant.faqs.get().keywords == "quincena\nnómina"


def test_it_keeps_existing_keywords_when_the_file_has_none(tmp_path):
    faq = FAQFactory(question="¿A?", keywords="alias")
    import_faqs(faq.assistant, _write_csv(tmp_path / "f.csv", [["¿A?", "Nueva.", ""]]))
    faq.refresh_from_db()
    assert faq.keywords == "alias"


def test_it_accepts_spanish_headers_semicolons_and_a_bom(tmp_path):
    assistant = OnboardingAssistantFactory()
    path = _write_csv(
        tmp_path / "f.csv",
        [["¿Cuándo me pagan?", "Los días 15.", "Info"]],
        ["Pregunta", "Respuesta", "Información adicional"],
        delimiter=";",
        encoding="utf-8-sig",
    )
    import_faqs(assistant, path)
    assert assistant.faqs.values_list("question", "additional_info").get() == ("¿Cuándo me pagan?", "Info")


def test_it_replaces_the_whole_set_with_replace(tmp_path):
    kept = FAQFactory(question="¿A?")
    FAQFactory(question="¿Vieja?", assistant=kept.assistant)
    report = import_faqs(
        kept.assistant, _write_csv(tmp_path / "f.csv", [["¿A?", "a", ""], ["¿B?", "b", ""]]), replace=True
    )
    assert (report.deleted, _questions(kept.assistant)) == (1, ["¿A?", "¿B?"])


def test_it_replaces_only_the_assistants_own_faqs(tmp_path):
    other = FAQFactory(assistant=AssistantFactory(), question="¿Garantía?")
    import_faqs(OnboardingAssistantFactory(), _write_csv(tmp_path / "f.csv", [["¿A?", "a", ""]]), replace=True)
    assert FAQ.objects.filter(pk=other.pk).exists()


def test_it_keeps_a_faq_whose_row_is_bad_on_replace(tmp_path):
    faq = FAQFactory(question="¿A?", answer="Buena.")
    import_faqs(faq.assistant, _write_csv(tmp_path / "f.csv", [["¿A?", "", ""], ["¿B?", "b", ""]]), replace=True)
    faq.refresh_from_db()
    assert faq.answer == "Buena."


def test_it_refuses_to_replace_with_a_file_without_valid_rows(tmp_path):
    faq = FAQFactory()
    with pytest.raises(FaqImportError):
        import_faqs(faq.assistant, _write_csv(tmp_path / "f.csv", [["", "", ""]]), replace=True)
    assert FAQ.objects.filter(pk=faq.pk).exists()


def test_it_refuses_a_file_without_an_answer_column(tmp_path):
    with pytest.raises(FaqImportError, match="answer"):
        import_faqs(OnboardingAssistantFactory(), _write_csv(tmp_path / "f.csv", [["¿A?"]], ["question"]))


# --- the command ---------------------------------------------------------------------


def test_it_prints_a_summary_with_the_bad_lines(tmp_path):
    OnboardingAssistantFactory()
    out = StringIO()
    call_command(
        "import_faqs", "blinky", str(_write_csv(tmp_path / "f.csv", [["¿A?", "a", ""], ["", "x", ""]])), stdout=out
    )
    assert "1 creados" in out.getvalue() and "línea 3: la pregunta está vacía" in out.getvalue()


def test_it_names_the_known_assistants_for_an_unknown_slug(tmp_path):
    OnboardingAssistantFactory()
    AssistantFactory()
    with pytest.raises(CommandError, match="blinky, kvky"):
        call_command("import_faqs", "blinki", str(_write_csv(tmp_path / "f.csv", [["¿A?", "a", ""]])))


def test_it_fails_clearly_for_a_missing_file(tmp_path):
    OnboardingAssistantFactory()
    with pytest.raises(CommandError, match="No se pudo leer"):
        call_command("import_faqs", "blinky", str(tmp_path / "missing.csv"))
