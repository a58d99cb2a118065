"""The engine's language lives in data files: they load, and no .py file of nlu/ holds word lists or cue patterns."""

import ast
import re
from pathlib import Path

import pytest

from nlu import language

NLU = Path(language.__file__).resolve().parent
WORD_ALTERNATION = re.compile(r"[a-z]{3,}\|[a-z]{3,}")
LETTERS = re.compile(r"^[a-záéíóúñü ]+$")
MAX_WORDS_IN_A_LITERAL = 4  # a few names (intent labels, field names) are code, a list of words is language


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _language_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    facts = []
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        if is_text and WORD_ALTERNATION.search(node.value):
            facts.append(f"{path.name}:{node.lineno}: a cue pattern {node.value[:60]!r}")
        if isinstance(node, ast.Set | ast.List | ast.Tuple | ast.Dict):
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            words = [item for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]
            if len(words) > MAX_WORDS_IN_A_LITERAL and all(LETTERS.match(item.value) for item in words):
                facts.append(f"{path.name}:{node.lineno}: a word list of {len(words)}")
    return facts


def test_it_loads_every_data_file():
    assert language.validate_all() == len(language.resource_files())
    assert len(language.resource_files()) >= 2


@pytest.mark.parametrize("path", sorted(NLU.glob("*.py")), ids=lambda path: path.name)
def test_it_keeps_no_language_facts_in_code(path):
    assert _language_in(path) == []


def test_it_names_the_file_and_entry_of_a_bad_pattern(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("patterns:\n  broken: '(?:abierto'\n", encoding="utf-8")
    resource = language.Resource(bad, {"patterns": {"broken": "(?:abierto"}})
    with pytest.raises(language.LanguageDataError, match=r"bad.yaml: pattern 'broken'"):
        resource.validate()


def test_it_refuses_an_unknown_section(tmp_path):
    resource = language.Resource(tmp_path / "odd.yaml", {"regexes": {}})
    with pytest.raises(language.LanguageDataError, match="unknown sections"):
        resource.validate()


def test_it_fills_fragments_into_patterns(tmp_path):
    data = {"fragments": {"person": "(?:asesor|persona)"}, "patterns": {"ask": r"\bcon (?:un )?<<person>>"}}
    resource = language.Resource(tmp_path / "f.yaml", data)
    assert resource.pattern("ask").search("quiero hablar con un asesor")
