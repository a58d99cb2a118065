"""Normalising a WhatsApp message before anything reads it.

`normalise` case-folds, strips accents, maps a few emoji to words, collapses letters
people stretch ("holaaa"), expands chat abbreviations ("xq", "tmb", "porfa") and keeps
only what the readers downstream need: letters, digits and the few symbols that belong
to numbers and model names ("$300,000.00", "1.2", "30%", "9:00", "cx-5", "x-trail").
"""

import re
import unicodedata

from nlu import language

_data = language.load("normalise")

EMOJI_WORDS: dict[str, str] = _data.table("emoji_words")
_EMOJI_TABLE = {ord(emoji): f" {word} " for emoji, word in EMOJI_WORDS.items()}

# Chat abbreviations and spellings, token by token.
ABBREVIATIONS: dict[str, str] = _data.table("abbreviations")
_KEEP_AFTER_NUMBER = _data.words("keep_after_number")  # "300 k" is an amount, not "300 que"
_KEEP_BEFORE = {token: frozenset(words) for token, words in _data.table("keep_before").items()}  # "x trail"

# Letters Spanish doubles on purpose (carro, llevar, accion, leer, cooperar, innovar).
_DOUBLING_LETTERS = _data.words("doubling_letters")
_DOUBLE_FINAL_VOWEL_WORDS = _data.words("double_final_vowel_words")

_PLUS_AFTER_AMOUNT = _data.pattern("plus_after_amount")  # "2020+", "300k+": or more
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_DOUBLE_FINAL_VOWEL = re.compile(r"\b([a-z]*?)([aeiou])\2\b")
_DOUBLE_INITIAL_VOWEL = re.compile(r"\b([aeiou])\1(?=[a-z])")
_DISALLOWED = re.compile(r"[^a-z0-9$,.%:/\-\s]")
_LONE_DECIMAL_MARK = re.compile(r"(?<!\d)[.,:]|[.,:](?!\d)")
_LONE_JOINER = re.compile(r"(?<![a-z0-9])[-/]|[-/](?![a-z0-9])")
_SPACED_DOLLAR = re.compile(r"\$\s+(?=\d)")
_LONE_DOLLAR = re.compile(r"\$(?!\d)")
_PERCENT_AFTER_SPACE = re.compile(r"(\d)\s+%")
_LONE_PERCENT = re.compile(r"(?<!\d)%")
_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold a raw message into the lower-case, accent-free, abbreviation-free form every reader uses."""
    text = text.translate(_EMOJI_TABLE).casefold()
    text = _strip_accents(text)
    text = _PLUS_AFTER_AMOUNT.sub(r"\1 o mas ", text)
    text = text.replace("&", " y ").replace("+", " mas ")
    text = _DISALLOWED.sub(" ", text)
    text = _LONE_DECIMAL_MARK.sub(" ", text)
    text = _LONE_JOINER.sub(" ", text)
    text = _LONE_DOLLAR.sub(" ", _SPACED_DOLLAR.sub("$", text))
    text = _PERCENT_AFTER_SPACE.sub(r"\1%", text)
    text = _LONE_PERCENT.sub(" ", text)
    text = _collapse_stretched_letters(text)
    return _expand_abbreviations(_WHITESPACE.sub(" ", text).strip())


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _collapse_stretched_letters(text: str) -> str:
    text = _STRETCHED.sub(_shorten_run, text)
    text = _DOUBLE_FINAL_VOWEL.sub(_single_final_vowel, text)
    return _DOUBLE_INITIAL_VOWEL.sub(r"\1", text)


def _shorten_run(match: re.Match[str]) -> str:
    letter = match.group(1)
    return letter * 2 if letter in _DOUBLING_LETTERS else letter


def _single_final_vowel(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in _DOUBLE_FINAL_VOWEL_WORDS:
        return word
    return match.group(1) + match.group(2)


def _expand_abbreviations(text: str) -> str:
    tokens = text.split(" ")
    expanded: list[str] = []
    for index, token in enumerate(tokens):
        replacement = ABBREVIATIONS.get(token)
        if replacement is None or _keeps_abbreviation(token, tokens, index):
            expanded.append(token)
        else:
            expanded.append(replacement)
    return " ".join(expanded)


def _keeps_abbreviation(token: str, tokens: list[str], index: int) -> bool:
    if token in _KEEP_AFTER_NUMBER and index > 0 and tokens[index - 1][-1:].isdigit():
        return True
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    return following in _KEEP_BEFORE.get(token, ())
