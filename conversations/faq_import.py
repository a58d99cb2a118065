"""Importing an assistant's FAQ knowledge base from a CSV (question, answer, additional_info[, keywords])."""

import re
from dataclasses import dataclass

from django.db import transaction

from catalog.csv_table import CsvFileError, CsvRow, ImportReport, RowError, Source, read_table
from conversations.models import FAQ, Assistant

__all__ = ["FaqImportError", "ImportReport", "RowError", "import_faqs"]

FaqImportError = CsvFileError

COLUMN_ALIASES: dict[str, str] = {
    **dict.fromkeys(["question", "pregunta", "q"], "question"),
    **dict.fromkeys(["answer", "respuesta", "a"], "answer"),
    **dict.fromkeys(
        ["additional_info", "additional_information", "info", "informacion_adicional", "notas", "notes"],
        "additional_info",
    ),
    **dict.fromkeys(["keywords", "palabras_clave", "otras_formas_de_preguntarlo", "aliases"], "keywords"),
}
REQUIRED_COLUMNS = {"question", "answer"}
_QUESTION_MAX = FAQ._meta.get_field("question").max_length


@dataclass(frozen=True)
class FaqRow:
    line: int
    question: str
    answer: str
    additional_info: str
    keywords: str | None  # None when the file has no keywords column: existing ones are kept


def _keywords(cell: str) -> str:
    """One phrase per line, as the admin shows them; a cell may also separate them with | or ;."""
    phrases = (phrase.strip() for phrase in re.split(r"[|;\n]", cell))
    return "\n".join(dict.fromkeys(phrase for phrase in phrases if phrase))


def _parse_row(row: CsvRow, has_keywords: bool) -> FaqRow:
    question = " ".join(row.get("question").split())
    answer = row.get("answer").strip()
    if not question:
        raise ValueError("la pregunta está vacía")
    if len(question) > _QUESTION_MAX:
        raise ValueError(f"la pregunta tiene más de {_QUESTION_MAX} caracteres")
    if not answer:
        raise ValueError("la respuesta está vacía")
    keywords = _keywords(row.get("keywords")) if has_keywords else None
    return FaqRow(row.line, question, answer, row.get("additional_info").strip(), keywords)


def _parse_rows(rows: list[CsvRow], has_keywords: bool, report: ImportReport) -> list[FaqRow]:
    parsed: list[FaqRow] = []
    first_line: dict[str, int] = {}
    for row in rows:
        try:
            faq_row = _parse_row(row, has_keywords)
        except ValueError as error:
            report.errors.append(RowError(row.line, str(error)))
            continue
        if faq_row.question in first_line:
            message = f"pregunta repetida (ya en la línea {first_line[faq_row.question]})"
            report.errors.append(RowError(row.line, message))
            continue
        first_line[faq_row.question] = row.line
        parsed.append(faq_row)
    return parsed


def _write(assistant: Assistant, rows: list[FaqRow], report: ImportReport) -> None:
    existing = {faq.question: faq for faq in FAQ.objects.filter(assistant=assistant)}
    for position, row in enumerate(rows, start=1):
        values = {"answer": row.answer, "additional_info": row.additional_info, "position": position}
        if row.keywords is not None:
            values["keywords"] = row.keywords
        faq = existing.get(row.question)
        if faq is None:
            FAQ.objects.create(assistant=assistant, question=row.question, **values)
            report.created += 1
            continue
        changed = [name for name, value in values.items() if getattr(faq, name) != value]
        if not changed:
            report.unchanged += 1
            continue
        for name in changed:
            setattr(faq, name, values[name])
        faq.save(update_fields=[*changed, "updated_at"])
        report.updated += 1


def import_faqs(assistant: Assistant, source: Source, *, replace: bool = False) -> ImportReport:
    """Creates or updates the assistant's FAQs by question, in the file's order; with replace, its other FAQs
    are deleted. Bad rows are reported by line and skipped. Raises FaqImportError, writing nothing, when the
    file cannot be read, lacks a question or answer column, or (with replace) has no valid row."""
    table = read_table(source, COLUMN_ALIASES, REQUIRED_COLUMNS)
    report = ImportReport(errors=list(table.bad_rows))
    rows = _parse_rows(table.rows, "keywords" in table.columns, report)
    if replace and not rows:
        raise FaqImportError("El archivo no tiene ninguna fila válida; no se reemplazaron las preguntas.")
    # A bad row still names a question to keep: a typo in its answer should not delete the FAQ.
    named = {" ".join(row.get("question").split()) for row in table.rows}
    with transaction.atomic():
        _write(assistant, rows, report)
        if replace:
            stale = [faq.pk for faq in FAQ.objects.filter(assistant=assistant) if faq.question not in named]
            report.deleted = FAQ.objects.filter(pk__in=stale).delete()[1].get(FAQ._meta.label, 0)
    report.errors.sort(key=lambda error: error.line)
    return report
