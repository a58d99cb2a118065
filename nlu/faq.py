"""FAQ matching: which question of an assistant's knowledge base a message asks.

Both the FAQs and the message go through the same pipeline: normalise (lower case,
accents folded, chat spelling expanded) → tokens → Spanish stems → concepts. A concept
is a topic with the many ways people in Mexico say it ("quincena", "nómina", "cuándo nos
pagan" → `pago`); phrases are matched before single words so that "gastos médicos" is
insurance and not expenses. The score rewards covering the message (every content word
of it found in the FAQ) and covering the FAQ's question (its topic is what was asked),
weighting rare terms more (idf). A near-literal question is also caught by rapidfuzz.
A word no FAQ uses can still match a FAQ's word it is a direct synonym of in a general
Spanish thesaurus (thesaurus.py), at a discount, so an FAQ base nobody tuned words for works.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from nlu import language, stemming, thesaurus
from nlu.sentences import SentenceEncoder

# Below this score the bot says it doesn't know and offers a human.
CONFIDENCE_THRESHOLD = 0.4

ANSWER_WEIGHT = 0.5  # a term found only in the answer counts half
# Weights are relative to the weight of a term only one FAQ has, ln(1 + number of FAQs).
UNKNOWN_SHARE = 0.6  # a content word no FAQ mentions: the message may be about something else
GENERIC_WEIGHT = 0.4  # words that say little about the topic
PLAIN_FACTOR = 0.6  # a word no concept covers tells less than a concept does
QUESTION_COVER_EXPONENT = 0.5
EVIDENCE_SHARE = 0.37  # the weight a message must match to be fully trusted
UNKNOWN_MISSING_FACTOR = 1.0  # a word this knowledge base never uses: maybe the message is about something else
MISSING_FACTOR = 0.6  # how much what the FAQ does not cover of the message counts against it
QUESTION_COVER_FLOOR = 0.1
# A formal question often names its topic in words nobody uses ("¿Se proporciona alimentación?") while the
# answer says the everyday ones ("comedor"): the share of what the message asks about that only the answer
# says covers, at this discount, what the question leaves uncovered.
ANSWER_COVER_FACTOR = 0.7
ANSWER_COVER_TERMS = 2
FUZZY_FLOOR = 88  # a whole-sentence similarity (0..100) this high is a match on its own
TYPO_CUTOFF = 86  # word similarity needed to read an unknown word as a known one
MAX_CORRECTIONS = 10_000  # typo corrections remembered per index
# Thesaurus synonyms are noisy: a word matched through one counts less than the word itself,
# and a synonym listed under very many entries ("lío", "golpe") is too vague to tell a topic.
SYNONYM_FACTOR = 0.6
MAX_SYNONYM_SPREAD = 40
MIN_SYNONYM_LENGTH = 4
# Another form of a FAQ's word the stemmer does not join ("incapacitaron" / "incapacidad", "enfermé" /
# "enfermedad") shares its beginning: at least this many letters and this share of the shorter word.
VARIANT_MIN_PREFIX = 5
VARIANT_MIN_SHARE = 0.7
VARIANT_FACTOR = 0.8  # a word read through a variant counts less than the FAQ's word itself
# Where the index reads meaning (nlu/sentences.py), the cosine of the message and a FAQ (its question with its
# answer, or a keyword line) is added, at this weight, to the score of each FAQ the words found, and the sum
# scaled so that CONFIDENCE_THRESHOLD stands for 0.84 of it. Chosen on the FAQ bases of nlu/tests/data and the
# onboarding conversations of golden/: of the bases' everyday paraphrases words alone answered 40% right
# (18 wrong FAQs, 2 of 43 unanswerable questions answered), words and meaning 53% (8 wrong, 2 of 43).
MEANING_WEIGHT = 2.0
MEANING_SCALE = 2.1


@dataclass(frozen=True)
class FaqEntry:
    id: int
    question: str
    answer: str
    additional_info: str = ""
    keywords: str = ""


@dataclass(frozen=True)
class FaqMatch:
    id: int
    question: str
    answer: str
    additional_info: str
    score: float


# --- Vocabulary ------------------------------------------------------------------
# The concepts, the words that say nothing and how people type in chats are data
# (resources/es_mx/faq.yaml); see its comments for the entry syntax.

_language = language.load("faq")

VOCABULARY: dict[str, tuple[str, ...]] = {
    key: tuple(str(entry) for entry in entries) for key, entries in _language.table("concepts").items()
}
QUERY_MULTIPLIER: dict[str, float] = _language.table("query_weight")
QUESTION_MULTIPLIER: dict[str, float] = _language.table("question_weight")
FRAME_CONCEPTS = _language.words("frame_concepts")
TOPIC_ALIASES: dict[str, tuple[str, ...]] = {
    f"#{concept}": tuple(f"#{alias}" for alias in aliases)
    for concept, aliases in _language.table("topic_aliases").items()
}
CONCEPT_MULTIPLIER: dict[str, float] = _language.table("concept_weight")
GENERIC_WORDS = _language.words("generic")
STOP_WORDS = _language.words("stop")
FILLERS = _language.words("fillers")
_CONTRACTIONS: dict[str, str] = _language.table("contractions")
CHAT_SPELLING: dict[str, str] = _language.table("chat_spelling")
_TIME_WORDS: dict[str, str] = _language.table("time_words")

_CLOCK = _language.pattern("clock")
_DATE = _language.pattern("date")
_TIME_NOW = _language.pattern("time_now")

_NON_WORD = re.compile(r"[^a-z0-9ñ]+")
_REPEATS = re.compile(r"(.)\1{2,}")

_stem = stemming.stem


def fold(text: str) -> str:
    """Lower case without accents: 'Día de PAGO' -> 'dia de pago'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    text = _REPEATS.sub(r"\1", fold(text))
    # A date ("el 24 de diciembre") in a question is about a day off.
    text = _DATE.sub(lambda m: f"{_TIME_WORDS['date']} {m.group(1)}", text)
    text = _CLOCK.sub(f" {_TIME_WORDS['clock']} ", text)  # "a las 9", "18:00": a time of day
    text = _TIME_NOW.sub(f" {_TIME_WORDS['time_now']} ", text)
    words: list[str] = []
    for word in _NON_WORD.sub(" ", text).split():
        words.extend(CHAT_SPELLING.get(word, word).split())
    return [_CONTRACTIONS.get(word, word) for word in words]


# --- Compiled vocabulary -----------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    exact: dict[str, tuple[str, ...]]  # surface word -> concepts
    stems: dict[str, tuple[str, ...]]  # stem -> concepts
    phrases: dict[tuple[str, ...], tuple[str, ...]]  # stems of a phrase (fillers dropped) -> concepts
    longest_phrase: int
    generic: frozenset[str]  # stems
    surface: tuple[str, ...]  # known single words, for typo correction


def _expand(entry: str) -> list[list[str]]:
    slots = [slot.split("|") for slot in fold(entry).split()]
    return [list(words) for words in itertools.product(*slots)]


def _phrase_key(words: list[str]) -> tuple[str, ...]:
    return tuple(_stem(w) for w in words if w not in FILLERS)


def _compile_lexicon() -> _Lexicon:
    exact: dict[str, tuple[str, ...]] = {}
    stems: dict[str, tuple[str, ...]] = {}
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    surface: set[str] = set()

    def add(table: dict, key: Any, concepts: tuple[str, ...], entry: str) -> None:
        if table.setdefault(key, concepts) != concepts:
            raise ValueError(f"«{entry}» means both {table[key]} and {concepts}: list it under one key")

    for key, entries in VOCABULARY.items():
        concepts = tuple(key.split("+"))
        for entry in entries:
            for words in _expand(entry):
                word = words[0].removeprefix("=")
                if len(words) > 1:
                    add(phrases, _phrase_key(words), concepts, entry)
                elif words[0].startswith("="):
                    add(exact, word, concepts, entry)
                else:
                    add(stems, _stem(word), concepts, entry)
                if len(words) == 1:
                    surface.add(word)
    return _Lexicon(
        exact=exact,
        stems=stems,
        phrases=phrases,
        longest_phrase=max(len(key) for key in phrases),
        generic=frozenset(_stem(fold(word)) for word in GENERIC_WORDS),
        surface=tuple(sorted(word for word in surface if len(word) >= 4 and word not in STOP_WORDS)),
    )


LEXICON = _compile_lexicon()


def _concept_term(name: str) -> str:
    return f"#{name}"


def _word_terms(word: str) -> list[str] | None:
    """The terms of one word outside any phrase; None for a word that carries no meaning here."""
    if word in LEXICON.exact:
        return [_concept_term(c) for c in LEXICON.exact[word]]
    if word in STOP_WORDS:
        return None
    stem = _stem(word)
    if stem in LEXICON.stems:
        return [_concept_term(c) for c in LEXICON.stems[stem]]
    return [stem]


def analyse(text: str) -> list[tuple[str, list[str] | None]]:
    """Each unit of the text (a phrase or a word) with its terms: concepts ('#pago') or plain stems."""
    return _units(_words(text))


def _units(all_words: list[str]) -> list[tuple[str, list[str] | None]]:
    words = [w for w in all_words if w not in FILLERS]
    phrases = _phrase_spans([_stem(w) for w in words])
    units: list[tuple[str, list[str] | None]] = []
    i = 0
    while i < len(words):
        if i in phrases:
            size, concepts = phrases[i]
            units.append((" ".join(words[i : i + size]), [_concept_term(c) for c in concepts]))
            i += size
        else:
            units.append((words[i], _word_terms(words[i])))
            i += 1
    return units


def _phrase_spans(stems: list[str]) -> dict[int, tuple[int, tuple[str, ...]]]:
    """Start -> (length, concepts) of the phrases of a text, longest first: "a meses sin intereses"
    is "meses sin intereses", not "a meses" followed by two loose words."""
    found: list[tuple[int, int, tuple[str, ...]]] = []
    for start in range(len(stems)):
        for size in range(min(LEXICON.longest_phrase, len(stems) - start), 1, -1):
            concepts = LEXICON.phrases.get(tuple(stems[start : start + size]))
            if concepts:
                found.append((start, size, concepts))
                break
    taken: set[int] = set()
    spans: dict[int, tuple[int, tuple[str, ...]]] = {}
    for start, size, concepts in sorted(found, key=lambda span: (-span[1], span[0])):
        covered = set(range(start, start + size))
        if not covered & taken:
            taken |= covered
            spans[start] = (size, concepts)
    return spans


def terms_of(text: str) -> set[str]:
    return {term for _, terms in analyse(text) if terms for term in terms}


def naming_terms_of(text: str) -> set[str]:
    """The terms of a text that name a topic: not the frame of a question ("¿cuánto tiempo…?"), not a concept
    a message mentions in passing (a "¿dónde…?", see query_weight in faq.yaml), not a generic word."""
    return {term for term in terms_of(text) if _is_topic(term) and QUERY_MULTIPLIER.get(term[1:], 1.0) >= 1.0}


# --- Synonyms (a general thesaurus, not one knowledge base's words) -----------------


def _thesaurus() -> thesaurus.Thesaurus | None:
    return thesaurus.get_thesaurus(fold)


def _lemma_candidates(word: str) -> list[str]:
    """The word, then its singular and masculine forms: the thesaurus lists lemmas."""
    forms = [word]
    if word.endswith("es") and len(word) > 4:
        forms.append(word[:-2])
    if word.endswith("s") and len(word) > 3:
        forms.append(word[:-1])
    for form in list(forms):
        if form.endswith("a") and len(form) > 3:
            forms.append(form[:-1] + "o")
    return forms


# A stem plus these endings names the lemmas a conjugated or derived form may come from.
_LEMMA_ENDINGS = ("", "o", "a", "e", "ar", "er", "ir")


def _headwords(source: thesaurus.Thesaurus, word: str) -> tuple[str, ...]:
    """The thesaurus entries a (folded) word is a form of: itself or its lemma, or else the lemmas
    its stem makes ("dimito" -> dimitir)."""
    for form in _lemma_candidates(word):
        if form in source:
            return (form,)
    stem = _stem(word)
    return tuple(lemma for lemma in (stem + ending for ending in _LEMMA_ENDINGS) if lemma in source)


def forget_thesaurus() -> None:
    """Drop the loaded thesaurus and the synonyms read from it (after `thesaurus.configure` gets another path)."""
    thesaurus.reset()
    _synonym_terms.cache_clear()


def is_dictionary_word(word: str) -> bool:
    """Whether the thesaurus knows the word (or its lemma): then it is no typo of another."""
    source = _thesaurus()
    return source is not None and any(form in source for form in _lemma_candidates(word))


@lru_cache(maxsize=20000)
def _synonym_terms(word: str) -> frozenset[str]:
    """The terms of the direct synonyms of one folded word; none for stop words and vague synonyms.

    Only direct synonyms: a synonym's own synonyms drift off topic ("sueldo" -> "paga" -> "propina")."""
    source = _thesaurus()
    if source is None or word in STOP_WORDS or len(word) < MIN_SYNONYM_LENGTH:
        return frozenset()
    found: set[str] = set()
    for head in _headwords(source, word):
        for synonym in source.synonyms(head):
            if len(synonym) < MIN_SYNONYM_LENGTH or source.spread(synonym) > MAX_SYNONYM_SPREAD:
                continue
            terms = _word_terms(synonym)
            if terms and not any(term in LEXICON.generic for term in terms):
                found.update(terms)
    return frozenset(found)


# --- Index -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Document:
    entry: FaqEntry
    weights: dict[str, float]  # term -> 1.0 (question or keywords) or ANSWER_WEIGHT (answer only)
    variants: tuple[frozenset[str], ...]  # the question and each keyword line, as term sets
    plain_text: tuple[str, ...]  # folded question and keyword lines, for whole-sentence similarity
    words: tuple[tuple[str, tuple[str, ...]], ...]  # each single word of the question and keywords, for synonyms
    all_words: tuple[tuple[str, tuple[str, ...]], ...]  # each single word of every field, for word variants


def _keyword_lines(keywords: str) -> list[str]:
    return [line.strip() for line in keywords.splitlines() if line.strip()]


def _document(entry: FaqEntry) -> _Document:
    lines = [entry.question, *_keyword_lines(entry.keywords)]
    variants = tuple(frozenset(terms_of(line)) for line in lines)
    weights = {term: ANSWER_WEIGHT for term in terms_of(f"{entry.answer} {entry.additional_info}")}
    weights.update({term: 1.0 for variant in variants for term in variant})
    plain = tuple(" ".join(_words(line)) for line in lines)
    words = _single_words(lines)
    every = _single_words([*lines, entry.answer, entry.additional_info])
    return _Document(entry=entry, weights=weights, variants=variants, plain_text=plain, words=words, all_words=every)


def _single_words(lines: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = {(unit, tuple(terms)) for line in lines for unit, terms in analyse(line) if terms and " " not in unit}
    return tuple(sorted(found))


@dataclass(frozen=True)
class _StandIn:
    postings: dict[int, float]  # FAQ position -> field weight of the FAQ's word a message word is a synonym of
    terms: frozenset[str]  # those words' terms
    rarity: float  # the weight of one term found in as many FAQs as these words are


@dataclass(frozen=True)
class _QuestionLine:
    weights: dict[str, float]  # term -> its weight in the question's cover
    total: float
    topic: frozenset[str]  # the terms that name what the line is about (not framing concepts or generic words)


class FaqIndex:
    """The FAQs of one assistant, ready to be matched; built once, read by many turns (thread-safe)."""

    def __init__(self, documents: list[_Document], meaning: SentenceEncoder | None = None) -> None:
        self._documents = documents
        self._meaning = meaning
        self._meaning_rows, self._meaning_owner = self._meaning_matrix(documents, meaning)
        self._by_id = {doc.entry.id: doc.entry for doc in documents}
        count = len(documents)
        frequency: dict[str, int] = {}
        for doc in documents:
            for term in doc.weights:
                frequency[term] = frequency.get(term, 0) + 1
        self._idf = {term: math.log(1 + count / n) for term, n in frequency.items()}
        rare = math.log(1 + max(count, 1))
        self._unknown_weight = UNKNOWN_SHARE * rare
        self._min_evidence = EVIDENCE_SHARE * rare
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for position, doc in enumerate(documents):
            for term, weight in doc.weights.items():
                self._postings.setdefault(term, []).append((position, weight))
        known_surface = {w for doc in documents for line in doc.plain_text for w in line.split()}
        self._typo_vocabulary = tuple(sorted(set(LEXICON.surface) | {w for w in known_surface if len(w) >= 4}))
        self._corrections: dict[str, str | None] = {}
        self._lock = threading.Lock()
        self._lines = [tuple(self._question_line(variant) for variant in doc.variants) for doc in documents]
        self._synonyms = self._synonym_map(documents)
        # Keyed by their first VARIANT_MIN_PREFIX letters, which every variant of a word shares with it:
        # a message word is compared with the few FAQ words that start alike, not with all of them.
        self._variant_words: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for word, terms in self._variant_map(documents).items():
            self._variant_words.setdefault(word[:VARIANT_MIN_PREFIX], []).append((word, terms))

    @staticmethod
    def _synonym_map(documents: list[_Document]) -> dict[str, frozenset[str]]:
        """Term of a synonym of a FAQ's word -> that word's terms: "nómina" in a message finds the
        FAQ that says "salario". Built once per index, from the FAQs' own words only."""
        found: dict[str, set[str]] = {}
        for word, terms in {pair for doc in documents for pair in doc.words}:
            for synonym in _synonym_terms(word):
                if synonym not in terms:
                    found.setdefault(synonym, set()).update(terms)
        return {synonym: frozenset(terms) for synonym, terms in found.items()}

    @staticmethod
    def _variant_map(documents: list[_Document]) -> dict[str, frozenset[str]]:
        """Each word of the FAQs long enough to have variants -> its terms."""
        found: dict[str, set[str]] = {}
        for word, terms in {pair for doc in documents for pair in doc.all_words}:
            if len(word) >= VARIANT_MIN_PREFIX and not any(term in LEXICON.generic for term in terms):
                found.setdefault(word, set()).update(terms)
        return {word: frozenset(terms) for word, terms in found.items()}

    @staticmethod
    def _meaning_matrix(
        documents: list[_Document], meaning: SentenceEncoder | None
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        """A vector for each FAQ's question with its answer and for each keyword line, and whose it is."""
        if meaning is None or not documents:
            return None, None
        texts: list[str] = []
        owner: list[int] = []
        for position, doc in enumerate(documents):
            lines = [f"{doc.entry.question} {doc.entry.answer}", *_keyword_lines(doc.entry.keywords)]
            texts.extend(lines)
            owner.extend([position] * len(lines))
        return meaning.encode(texts), np.asarray(owner)

    def _with_meaning(self, text: str, scores: dict[int, float]) -> dict[int, float]:
        """The words' scores with the closeness in meaning of each FAQ they found (see MEANING_WEIGHT)."""
        if self._meaning is None or not scores:
            return scores
        cosines = self._meaning_rows @ self._meaning.encode_one(text)
        closest = np.zeros(len(self._documents), dtype=np.float32)
        np.maximum.at(closest, self._meaning_owner, cosines)
        return {
            position: (score + MEANING_WEIGHT * max(float(closest[position]), 0.0)) / MEANING_SCALE
            for position, score in scores.items()
        }

    def _variants_in_index(self, unit: str) -> list[str]:
        """The terms of the FAQs' words a word no FAQ uses is another form of: the same beginning."""
        if " " in unit or len(unit) < VARIANT_MIN_PREFIX or unit in STOP_WORDS:
            return []
        found: set[str] = set()
        for word, terms in self._variant_words.get(unit[:VARIANT_MIN_PREFIX], ()):
            if _shared_prefix(unit, word) >= max(VARIANT_MIN_PREFIX, VARIANT_MIN_SHARE * min(len(unit), len(word))):
                found.update(terms)
        return sorted(term for term in found if term in self._idf)

    def _question_line(self, variant: frozenset[str]) -> _QuestionLine:
        weights = {term: self._question_weight(term) for term in variant}
        topic = frozenset(term for term in variant if _is_topic(term))
        return _QuestionLine(weights=weights, total=sum(weights.values()), topic=topic)

    @classmethod
    def build(cls, entries: Iterable[FaqEntry], meaning: SentenceEncoder | None = None) -> FaqIndex:
        """The index of these FAQs; with `meaning`, it reads what a message means as well as its words."""
        return cls([_document(entry) for entry in entries], meaning)

    def __len__(self) -> int:
        return len(self._documents)

    def get(self, faq_id: int) -> FaqEntry | None:
        return self._by_id.get(faq_id)

    def best(self, text: str, context: str = "") -> FaqMatch | None:
        ranked = self.ranked(text, limit=1, context=context)
        return ranked[0] if ranked else None

    def ranked(self, text: str, limit: int = 3, context: str = "") -> list[FaqMatch]:
        """The best FAQs for a message. A follow-up is read with the question in focus (`context`): its words
        join the message's, but not its meaning, which would pull every follow-up back to the FAQ in focus."""
        words = _words(f"{text} {context}" if context else text)
        query, stand_ins = self._query_terms(words)
        if not query or not self._documents:
            return []
        scores = self._with_meaning(text, self._concept_scores(query, stand_ins))
        folded = " ".join(words)
        for position, doc in enumerate(self._documents):
            similarity = max(fuzz.ratio(folded, line) for line in doc.plain_text)
            if similarity >= FUZZY_FLOOR:
                scores[position] = max(scores.get(position, 0.0), similarity / 100)
        order = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [self._match(position, score) for position, score in order[:limit] if score > 0]

    def foreign_terms(self, text: str) -> list[str]:
        """The plain words of a message (no concept, no generic word) that no FAQ of this base says, nor any
        synonym or variant of theirs: "¿y hay gimnasio?" right after an answer asks about something this base
        does not cover. Concepts are left out: "¿dónde…?", "¿cuánto cuesta?" ask about the answer at hand."""
        query, stand_ins = self._query_terms(_words(text))
        return sorted(
            term
            for term in query
            if term not in self._idf
            and term not in stand_ins
            and not term.startswith("~")
            and not term.isdigit()
            and not term.startswith("#")
            and term not in LEXICON.generic
        )

    def _match(self, position: int, score: float) -> FaqMatch:
        entry = self._documents[position].entry
        return FaqMatch(
            id=entry.id,
            question=entry.question,
            answer=entry.answer,
            additional_info=entry.additional_info,
            score=round(min(score, 1.0), 4),
        )

    # -- scoring --

    def _query_terms(self, words: list[str]) -> tuple[dict[str, float], dict[str, _StandIn]]:
        """Each term of the message with its weight: rare terms weigh more, unknown ones a fixed amount.

        A word no FAQ uses but a synonym of FAQs' words is one term of its own ("≈word"), returned
        with the FAQs it stands in for and their terms it is a synonym of."""
        query: dict[str, float] = {}
        stand_ins: dict[str, _StandIn] = {}
        for unit, terms in _units(words):
            if terms is None:
                continue
            if not any(term in self._idf or term in LEXICON.generic for term in terms):
                synonyms = self._synonyms_in_index(unit, terms)
                factor = SYNONYM_FACTOR
                if not synonyms and not any(term.startswith("#") for term in terms):
                    # A word the concepts know already has its meaning ("comprar" is no "compruebo").
                    synonyms, factor = self._variants_in_index(unit), VARIANT_FACTOR
                if synonyms:
                    # A word is one piece of evidence however many FAQ words it may stand for, and it
                    # weighs the same in every FAQ that has one of them: were it credited to each FAQ term,
                    # the FAQ whose one word brings several concepts ("aguinaldo": a benefit and pay)
                    # would collect them all and beat another that says "pago" alone.
                    postings = self._stand_in_postings(synonyms)
                    concept = any(term.startswith("#") for term in synonyms)
                    rarity = math.log(1 + len(self._documents) / len(postings)) * (1.0 if concept else PLAIN_FACTOR)
                    stand_in = f"≈{unit}"
                    stand_ins[stand_in] = _StandIn(postings=postings, terms=frozenset(synonyms), rarity=rarity)
                    query[stand_in] = rarity * factor
                    # The link may be another sense of the word: it still partly says "something else".
                    query[f"~{unit}"] = self._unknown_weight * (1 - factor)
                    continue
            if len(terms) == 1 and terms[0] not in self._idf and not terms[0].startswith("#"):
                terms = self._correct(unit) or terms
            for term in self._relevant(terms):
                query[term] = self._weight(term)
        return query, stand_ins

    def _stand_in_postings(self, terms: list[str]) -> dict[int, float]:
        postings: dict[int, float] = {}
        for term in terms:
            for position, field_weight in self._postings.get(term, ()):
                postings[position] = max(postings.get(position, 0.0), field_weight)
        return postings

    def _synonyms_in_index(self, unit: str, terms: list[str]) -> list[str]:
        """The FAQs' terms a word this knowledge base never uses is a direct synonym of, both ways:
        the FAQ's word lists it and it lists the FAQ's word (one-way links are mostly another sense)."""
        if " " in unit:
            return []
        listed_by_faq = set().union(*(self._synonyms.get(term, ()) for term in terms))
        return sorted(listed_by_faq & _synonym_terms(unit))

    def _relevant(self, terms: list[str]) -> list[str]:
        """Of a word's several concepts, those this knowledge base talks about (or else its first)."""
        if len(terms) == 1:
            return terms
        return [term for term in terms if term in self._idf] or terms[:1]

    def _weight(self, term: str) -> float:
        if term.startswith("#"):
            name = term[1:]
            multiplier = QUERY_MULTIPLIER.get(name, CONCEPT_MULTIPLIER.get(name, 1.0))
            return self._idf.get(term, self._unknown_weight) * multiplier
        if term in LEXICON.generic:
            return GENERIC_WEIGHT
        if term not in self._idf:
            return 0.0 if term.isdigit() else self._unknown_weight
        return self._idf[term] * PLAIN_FACTOR

    def _correct(self, word: str) -> list[str] | None:
        """A misspelt word read as the known word it is closest to ('vacasiones' -> vacaciones).

        A word of the dictionary is no typo: "acciones" does not mean "vacaciones"."""
        if len(word) < 5 or " " in word or is_dictionary_word(word):
            return None
        with self._lock:
            if word not in self._corrections:
                if len(self._corrections) >= MAX_CORRECTIONS:
                    self._corrections.clear()
                self._corrections[word] = self._closest_word(word)
            corrected = self._corrections[word]
        return _word_terms(corrected) if corrected else None

    def _closest_word(self, word: str) -> str | None:
        found = process.extract(word, self._typo_vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=3)
        # "ayudar" is no typo of "ayuda": another form of a word is the stemmer's business, and a form
        # missing from the vocabulary is missing on purpose.
        typos = (known for known, _, _ in found if not (word.startswith(known) or known.startswith(word)))
        return next(typos, None)

    def _concept_scores(self, query: dict[str, float], stand_ins: dict[str, _StandIn]) -> dict[int, float]:
        credit: dict[int, float] = {}
        for term, weight in query.items():
            postings = stand_ins[term].postings.items() if term in stand_ins else self._postings.get(term, ())
            for position, field_weight in postings:
                credit[position] = credit.get(position, 0.0) + weight * field_weight
        unknown = sum(weight for term, weight in query.items() if term not in self._idf and term not in stand_ins)
        known = sum(query.values()) - unknown
        named = set(query).union(*(TOPIC_ALIASES.get(term, ()) for term in query))
        # A FAQ's question word whose synonym the message says is asked about, at a discount;
        # each is kept with the message terms that lead to it (see _question_cover).
        related: dict[str, set[str]] = {}
        for term in query:
            for faq_term in self._synonyms.get(term, ()):
                if faq_term not in named:
                    related.setdefault(faq_term, set()).add(term)
        scores: dict[int, float] = {}
        for position, matched in credit.items():
            missing = MISSING_FACTOR * (known - matched) + UNKNOWN_MISSING_FACTOR * unknown
            message_cover = matched / (matched + missing)
            question_cover = self._question_cover(position, named, related, stand_ins)
            # What the question leaves uncovered, the answer's own words may cover, at a discount.
            answered = ANSWER_COVER_FACTOR * self._answer_share(position, query, stand_ins)
            question_cover = max(question_cover + (1 - question_cover) * answered, QUESTION_COVER_FLOOR)
            # A message that says little ("necesito un carro") is no confident match, however well it fits.
            evidence = min(1.0, matched / self._min_evidence)
            scores[position] = message_cover * question_cover**QUESTION_COVER_EXPONENT * evidence
        return scores

    def _answer_share(self, position: int, query: dict[str, float], stand_ins: dict[str, _StandIn]) -> float:
        """The share of the message's weight that only this FAQ's answer says (topic terms only)."""
        weights = self._documents[position].weights
        found = [
            weight
            for term, weight in query.items()
            if _is_topic(term)
            and (stand_ins[term].postings.get(position, 1.0) if term in stand_ins else weights.get(term, 1.0)) < 1.0
        ]
        # One word the answer mentions in passing ("un enganche desde el 10%") is no sign of its topic.
        if len(found) < ANSWER_COVER_TERMS:
            return 0.0
        return sum(found) / sum(query.values())

    def _question_cover(
        self, position: int, named: set[str], related: dict[str, set[str]], stand_ins: dict[str, _StandIn]
    ) -> float:
        """How much of the FAQ's question (or its best keyword line) the message asks about.

        A line whose topic the message does not name is not covered at all: "¿en qué me puedes
        ayudar?" shares a verb with "¿Me ayudan con el seguro?" but asks nothing about insurance.
        A message word the line itself says is matched there, not also as a synonym of the line's
        other words: "¿cada cuándo nos pagan?" names the pay of "¿Cuándo se paga el aguinaldo?",
        not its aguinaldo, though the thesaurus lists "paga" under "aguinaldo". And a synonym of
        the FAQs' words covers as much in each line it finds (at most the line's word), not more
        in the line whose word happens to bring more concepts."""
        best = 0.0
        for line in self._lines[position]:
            linked = {term for term, sources in related.items() if not sources <= line.weights.keys()}
            standing = [found for found in stand_ins.values() if not line.topic.isdisjoint(found.terms)]
            if line.total > 0 and (
                not line.topic or not line.topic.isdisjoint(named) or not line.topic.isdisjoint(linked) or standing
            ):
                covered = sum(
                    w if term in named else w * SYNONYM_FACTOR
                    for term, w in line.weights.items()
                    if term in named or term in linked
                )
                for found in standing:
                    stood_for = [w for term, w in line.weights.items() if term in found.terms and term not in named]
                    covered += min(found.rarity, max(stood_for, default=0.0))
                best = max(best, covered / line.total)
        return best

    def _question_weight(self, term: str) -> float:
        if term.startswith("#"):
            return self._idf[term] * QUESTION_MULTIPLIER.get(term[1:], CONCEPT_MULTIPLIER.get(term[1:], 1.0))
        return self._weight(term)


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _is_topic(term: str) -> bool:
    if term.startswith("#"):
        return term[1:] not in FRAME_CONCEPTS
    return term not in LEXICON.generic
