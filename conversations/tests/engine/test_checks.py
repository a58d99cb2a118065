from conversations.engine.checks import check_language_data
from nlu import language


def test_it_passes_with_the_shipped_language_data():
    assert check_language_data() == []


def test_it_reports_a_broken_data_file(monkeypatch, tmp_path):
    locale = tmp_path / language.DEFAULT_LOCALE
    (locale / language.INTENT_EXAMPLES).mkdir(parents=True)
    (locale / "broken.yaml").write_text("patterns:\n  open: '(?:sin cerrar'\n", encoding="utf-8")
    monkeypatch.setattr(language, "RESOURCES", tmp_path)
    language.load.cache_clear()
    try:
        errors = check_language_data()
    finally:
        language.load.cache_clear()
    assert [error.id for error in errors] == ["nlu.E001"]
    assert "broken.yaml" in errors[0].msg
