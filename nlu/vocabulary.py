"""Make and model resolution against the catalog's own vocabulary.

A `Vocabulary` is built from the (make, model) pairs of the catalog, so an imported
catalog is understood at once. `find` reads a normalised message and returns the make
and model it mentions in the catalog's spelling ("chebys" → "Chevrolet", "cx5" → "CX-5",
"serie tres" → "Serie 3"), or the car make or model the catalog lacks ("tesla").

Matching goes from the safest to the loosest: exact aliases and compact keys, then a
phonetic folding of Spanish spelling (b/v, s/z/c, ll/y, silent h, qu/k, doubled letters,
a plural s), then at most one or two edits on that folding for long names only. Ordinary
Spanish words never go through the loose steps (`STOP_WORDS`), and model names that are
also ordinary words ("rio", "versa", "uno") need a cue in the message.
"""

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from nlu import dictionary, language, stemming, thesaurus
from nlu.body_types import BODY_TYPE_WORDS, MODEL_BODY_TYPES, compact_key, infer_body_type
from nlu.faq import fold as plain_fold  # the thesaurus is loaded once per fold function: share the FAQ's
from nlu.numbers import counts_time

# --- Knowledge: car makes and what people call them (resources/es_mx/vocabulary.yaml) ----

_data = language.load("vocabulary")

MAKE_ALIASES: dict[str, tuple[str, ...]] = {
    make: tuple(aliases) for make, aliases in _data.table("make_aliases").items()
}

# Makes whose customers would look at a premium make instead: what to offer for "¿tienen tesla?".
PREMIUM_MAKES = frozenset(compact_key(make) for make in _data.words("premium_makes"))

# Model names that are also ordinary words: taken only with a cue ("el rio", "kia rio", "rio 2019").
AMBIGUOUS_MODEL_WORDS = _data.words("ambiguous_model_words")
# Of those, the ones that also name a place: "en la city", "de la sierra" are no car.
PLACE_MODEL_WORDS = _data.words("place_model_words")
_PLACE_PREPOSITIONS = _data.words("place_prepositions")
# Letters that are words ("a 1 año", "q 5 años"): joined to a number only when the make is named.
_ONE_LETTER_WORDS = _data.words("one_letter_words")
# Model names that are everyday words or numbers: taken only with their make ("fiat uno", "peugeot 208").
MAKE_REQUIRED_MODEL_WORDS = _data.words("make_required_model_words")

# Words that may stand right before a model name that is also an ordinary word.
MODEL_CUES = _data.words("model_cues")
_NOT_MINI_BEFORE = _data.words("not_mini_before")

# Ordinary words that the loose matching must never take for a car name.
STOP_WORDS = _data.words("stop_words")

_NUMBER_WORDS: dict[str, str] = _data.table("number_words")
# Words of a model name that say what kind of car it is, not which: "Clase C Coupé" is no "coupé".
_GENERIC_MODEL_WORDS = _data.words("generic_model_words") | frozenset(
    word for phrase in BODY_TYPE_WORDS for word in phrase.split()
)
_TOKEN = re.compile(r"[a-z0-9]+")
_TWO_WORDS = re.compile(r"[^\W\d_]{3,} [^\W\d_]{3,}")
_YEAR = re.compile(r"(?:19[5-9]\d|20[0-4]\d)$")

# Spanish spelling variants folded together, step by step (b/v, s/z/c, ll/y, silent h, qu/k, doubled letters).
_FOLD_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in _data.table("fold_steps").items()
)


_SKELETON_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in _data.table("skeleton_steps").items()
)
# A word no dictionary knows is read as the name whose consonants it has (or all but one of them, for longer
# model names; a make, short and often a word's sound, needs them all) when at least this many consonants say
# it and its letters are still this alike (rapidfuzz ratio).
_SKELETON_MIN_LENGTH = 3
_SKELETON_SIMILARITY = 60
_SKELETON_NEAR_SIMILARITY = 75
# Beside its make ("toyota …"), a word is read as the make's model it is this alike to, dictionary word or not:
# the make leaves few names to confuse it with.
_NAMED_MAKE_SIMILARITY = 75
_SHORT_MAKE_TYPO_LENGTH = 5  # a word this long, no Spanish word, may be a make with one letter wrong


@functools.lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Fold Spanish spelling variants together: "chebys", "chevis" and "chevy" all fold to "Cebi"."""
    for pattern, replacement in _FOLD_STEPS:
        word = pattern.sub(replacement, word)
    if len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    return word


def _consonants(folded: str) -> str:
    for pattern, replacement in _SKELETON_STEPS:
        folded = pattern.sub(replacement, folded)
    return folded


def _by_ear(word: str, folded: str, keys: dict[str, list[str]], *, near: bool = True) -> str | None:
    """The folded name a word spelt by ear stands for: the one key whose consonants it shares (with `near`, for
    a longer name, all but one; see _SKELETON_SIMILARITY), or None. `keys` maps consonants to folded names."""
    sound = _consonants(folded)
    if len(sound) < _SKELETON_MIN_LENGTH:
        return None
    near = near and len(sound) >= _SKELETON_MIN_LENGTH + 1
    found: set[str] = set()
    for consonants, names in keys.items():
        if consonants == sound:
            floor = _SKELETON_SIMILARITY
        elif near and Levenshtein.distance(consonants, sound, score_cutoff=1) <= 1:
            floor = _SKELETON_NEAR_SIMILARITY
        else:
            continue
        found.update(key for key in names if _similarity(word, folded, key) >= floor)
    return found.pop() if len(found) == 1 else None


def _similarity(word: str, folded: str, folded_key: str) -> float:
    return max(fuzz.ratio(word, folded_key), fuzz.ratio(folded, folded_key))


def _sound_index(folded_keys: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for key in folded_keys:
        index.setdefault(_consonants(key), []).append(key)
    return index


def is_headword(word: str) -> bool:
    """Whether a (normalised) word is itself an entry of the general Spanish thesaurus ("auto", "deportivo")."""
    words = thesaurus.get_thesaurus(plain_fold)
    return words is not None and word in words


def is_spanish_word(word: str) -> bool:
    """Whether a (normalised) word is ordinary Spanish: a headword of the general thesaurus, or a form of one
    ("cajera" of "cajero"). Without a thesaurus configured nothing is, and only STOP_WORDS guard the loose steps."""
    words = thesaurus.get_thesaurus(plain_fold)
    if words is None:
        return False
    if word in words:
        return True
    stem = stemming.stem(word)
    return len(stem) >= 4 and stem in _headword_stems(words)  # "cay" of "cayen" says too little


def is_any_spanish_word(word: str) -> bool:
    """Whether a word is Spanish at all, however rare: ordinary (is_spanish_word) or in the general dictionary in
    any of its forms ("entra", "atras", "corola"). What guards reading a word by its sound, looser than a typo."""
    return is_spanish_word(word) or dictionary.is_word(word)


def stem_thesaurus_headwords() -> None:
    """Stem the thesaurus's headwords now: some 20,000 words take seconds, too long for a customer's first turn."""
    words = thesaurus.get_thesaurus(plain_fold)
    if words is not None:
        _headword_stems(words)


@functools.lru_cache(maxsize=2)
def _headword_stems(words: thesaurus.Thesaurus) -> frozenset[str]:
    return frozenset(stemming.stems(words.headwords()))


# How alike an alias and its make's name must be to count as a spelling of it (rapidfuzz ratio, 0-100).
_VARIANT_SIMILARITY = 70


def _max_edits(folded_key: str) -> int:
    if len(folded_key) >= 9:
        return 2
    return 1 if len(folded_key) >= 6 else 0


# --- What a message mentions ------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "make", "model", "model_family", "unknown_make" or "unknown_model"
    value: str


@dataclass
class Mentions:
    make: str | None = None
    model: str | None = None
    unknown_make: str | None = None  # a car make the catalog lacks ("Tesla")
    unknown_model: str | None = None  # a model sold in Mexico the catalog lacks ("Mustang")
    unknown_model_make: str | None = None  # its make ("Ford")
    makes: list[str] = field(default_factory=list)  # every catalog make mentioned, in order
    models: list[tuple[str, str]] = field(default_factory=list)  # every (make, model) mentioned, in order
    spans: list[Span] = field(default_factory=list)
    # A name several catalog models share ("tiggo 8": Tiggo 8 Pro, Tiggo 8 Pro Max), when no single model is named:
    # the name in catalog spelling and the (make, model) pairs it stands for; `make` is theirs when they share it.
    family: str | None = None
    model_candidates: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    hyphen_before: bool  # "cx-5": the 5 is glued to the cx


@dataclass(frozen=True)
class _ModelEntry:
    make: str
    model: str
    key: str
    needs_make: bool
    needs_cue: bool
    one_word: bool  # "Jetta" or the "cla" of "Clase CLA", which typos may reach; not "Clase C"
    shorter: str | None = None  # the shorter name this key stands for ("Tiggo 8" of "Tiggo 8 Pro"), in catalog spelling


@dataclass
class _Found:
    span: Span
    tokens: range
    make: str | None = None  # the make of a model (catalog or known)
    candidates: tuple[tuple[str, str], ...] = ()  # a family: the catalog models a shorter name stands for


class Vocabulary:
    """The makes and models of one catalog, with every way customers write them."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._models_by_make: dict[str, list[str]] = {}
        self._make_by_key: dict[str, str] = {}
        seen: set[tuple[str, str]] = set()
        for make, model in pairs:
            make, model = (make or "").strip(), (model or "").strip()
            if not make:
                continue
            canonical_make = self._make_by_key.setdefault(compact_key(make), make)
            models = self._models_by_make.setdefault(canonical_make, [])
            if model and (canonical_make, compact_key(model)) not in seen:
                seen.add((canonical_make, compact_key(model)))
                models.append(model)
        for models in self._models_by_make.values():
            models.sort(key=str.casefold)
        self.makes: list[str] = sorted(self._models_by_make, key=str.casefold)
        self._build_make_index()
        self._build_model_index()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> "Vocabulary":
        return cls(pairs)

    def models_of(self, make: str) -> list[str]:
        canonical = self._make_by_key.get(compact_key(make))
        return list(self._models_by_make.get(canonical, [])) if canonical else []

    # --- Indexes ---------------------------------------------------------------------------

    def _build_make_index(self) -> None:
        """Exact keys and folded keys → (make, in catalog?)."""
        self._make_keys: dict[str, tuple[str, bool]] = {}
        for make_key, make in self._make_by_key.items():
            self._make_keys[make_key] = (make, True)
        for canonical, aliases in MAKE_ALIASES.items():
            names = (compact_key(canonical), *map(compact_key, aliases))
            # The catalog may spell the make as one of its aliases ("Chery" for Chirey): every alias is that make.
            in_catalog = next((self._make_by_key[key] for key in names if key in self._make_by_key), None)
            for key in names:
                if key not in self._make_keys:
                    self._make_keys[key] = (in_catalog, True) if in_catalog else (canonical, False)
        # Only the names and their spelling variants are folded ("chery" for "chirey"): folding slang too
        # ("bochito") would reach ordinary words.
        self._folded_make_keys: dict[str, tuple[str, bool]] = {}
        for name in (*self._make_by_key.values(), *MAKE_ALIASES, *_spelling_variants()):
            folded = fold(compact_key(name))
            if len(compact_key(name)) >= 4 and len(folded) >= 3:  # "geely" folds to "ili", as "yili" does
                self._folded_make_keys.setdefault(folded, self._make_keys[compact_key(name)])
        self._fuzzy_make_keys = [key for key in self._folded_make_keys if _max_edits(key)]
        self._make_sounds = _sound_index(self._folded_make_keys)
        self._make_prefixes = {key[:length] for key in self._make_keys for length in range(1, len(key))}
        self._make_first_words = {
            compact_key(name.split()[0]) for name in (*self._make_by_key.values(), *MAKE_ALIASES) if " " in name
        }
        self._loose_make_cache: dict[str, tuple[str, bool] | None] = {}

    def _build_model_index(self) -> None:
        self._model_keys: dict[str, list[_ModelEntry]] = {}
        pairs = [(make, model) for make, models in self._models_by_make.items() for model in models]
        for make, model in pairs:
            key = compact_key(model)
            self._model_keys.setdefault(key, []).append(self._entry(make, model, key))
        full_keys = set(self._model_keys)
        for make, model in pairs:
            for key, shorter in _short_names(model).items():
                if key in full_keys or key in STOP_WORDS or self._make_keys.get(key, ("", False))[1]:
                    continue  # "corolla" stays the Corolla, not the Corolla Cross; "mazda" is the make
                self._model_keys.setdefault(key, []).append(self._entry(make, model, key, shorter=shorter))
        # "tigo 8": a misspelt first word of a name of several words, read by its folding.
        self._first_words = {
            fold(key): key for key in (_first_word(entry.model) for entries in self._model_keys.values()
                                       for entry in entries) if key.isalpha() and len(key) >= 4
        }
        self._folded_model_keys: dict[str, list[_ModelEntry]] = {}
        for key, entries in self._model_keys.items():
            one_word = [entry for entry in entries if entry.one_word]
            if key.isalpha() and len(fold(key)) >= 4 and one_word:
                self._folded_model_keys.setdefault(fold(key), []).extend(one_word)
        self._fuzzy_model_keys = [key for key in self._folded_model_keys if _max_edits(key)]
        # "ecplise cross", "eclips cros": a name of two words misspelt, read by the folding of both together.
        self._folded_pair_keys: dict[str, list[_ModelEntry]] = {}
        for key, entries in self._model_keys.items():
            pair = [entry for entry in entries if entry.shorter is None and _TWO_WORDS.fullmatch(entry.model)]
            if pair and _max_edits(fold(key)):
                self._folded_pair_keys.setdefault(fold(key), []).extend(pair)
        self._fuzzy_pair_keys = list(self._folded_pair_keys)
        self._model_sounds = _sound_index(self._folded_model_keys)
        self._known_model_keys: dict[str, list[_ModelEntry]] = {}
        for make, models in MODEL_BODY_TYPES.items():
            for model in models:
                key = compact_key(model)
                if key in self._model_keys:
                    continue
                entry = self._entry(make, model, key, known_elsewhere=True)
                self._known_model_keys.setdefault(key, []).append(entry)
        self._key_prefixes = {
            key[:length] for key in (*self._model_keys, *self._known_model_keys) for length in range(1, len(key) + 1)
        }

    @staticmethod
    def _entry(
        make: str, model: str, key: str, *, known_elsewhere: bool = False, shorter: str | None = None
    ) -> _ModelEntry:
        bare_digits_or_letters = key.isdigit() or (key.isalpha() and len(key) <= 2)
        # The first word of a longer name, short like a word ("poer" of "Poer Cargo"): with a cue, as "rio".
        short_word = shorter is not None and key.isalpha() and len(key) < 5 and _first_word(model) == key
        needs_make = bare_digits_or_letters or key in MAKE_REQUIRED_MODEL_WORDS or key in STOP_WORDS
        needs_cue = short_word or key in AMBIGUOUS_MODEL_WORDS or (known_elsewhere and len(key) < 4)
        one_word = key != compact_key(model) or not re.search(r"[\s\-]", model)
        one_word = one_word and not (shorter and re.search(r"[\s\-]", shorter))
        return _ModelEntry(make, model, key, needs_make=needs_make, needs_cue=needs_cue, one_word=one_word,
                           shorter=shorter)

    # --- Finding mentions ------------------------------------------------------------------

    def find(self, text_norm: str) -> Mentions:
        """The makes and models a normalised message mentions, in the catalog's spelling."""
        tokens = _tokenize(text_norm)
        make_hits = self._find_makes(tokens)
        mentioned_makes = {compact_key(hit.span.value) for hit in make_hits}
        model_hits = self._find_models(tokens, make_hits, mentioned_makes)
        # The catalog's names beat outside knowledge: "haval" is the GWM Haval H6, not the make Haval it lacks.
        catalog_tokens = {index for hit in model_hits if hit.span.kind != "unknown_model" for index in hit.tokens}
        make_hits = [hit for hit in make_hits if hit.span.kind == "make" or not catalog_tokens & set(hit.tokens)]
        return self._mentions(make_hits, model_hits)

    def _find_makes(self, tokens: list[_Token]) -> list[_Found]:
        found: list[_Found] = []
        index = 0
        while index < len(tokens):
            hit = self._make_at(tokens, index)
            if hit is None:
                index += 1
                continue
            found.append(hit)
            index = hit.tokens.stop
        return found

    def _make_at(self, tokens: list[_Token], index: int) -> _Found | None:
        for size in (2, 1):
            if index + size > len(tokens) or (size == 2 and tokens[index].text not in self._make_prefixes):
                continue
            window = tokens[index : index + size]
            key = "".join(token.text for token in window)
            target = self._make_keys.get(key)
            if target is None and size == 1:
                target = self._make_keys.get(_singular(key)) or self._loose_make(key)
            elif target is None and window[0].text in self._make_first_words and key.isalpha():
                target = self._loose_make(key)  # "alfa romeu": a name of two words misspelt in its second
            if target is None or self._is_mini_adjective(key, tokens, index + size):
                continue
            make, in_catalog = target
            kind = "make" if in_catalog else "unknown_make"
            return _Found(Span(window[0].start, window[-1].end, kind, make), range(index, index + size))
        return None

    def _loose_make(self, word: str) -> tuple[str, bool] | None:
        if len(word) < 4 or word in STOP_WORDS or not word.isalpha():
            return None
        if word not in self._loose_make_cache:
            if len(self._loose_make_cache) > 50_000:
                self._loose_make_cache.clear()
            self._loose_make_cache[word] = self._folded_make(word)
        return self._loose_make_cache[word]

    def _folded_make(self, word: str) -> tuple[str, bool] | None:
        folded = fold(word)
        target = self._folded_make_keys.get(folded)
        if target is not None:
            return target
        if is_spanish_word(word):  # "changar" is no misspelt Changan
            return None
        key = _closest_folded(folded, self._fuzzy_make_keys)
        if key is None and not is_any_spanish_word(word):
            key = _by_ear(word, folded, self._make_sounds, near=False) or self._one_typo_make(folded)
        return self._folded_make_keys[key] if key else None

    def _one_typo_make(self, folded: str) -> str | None:
        """A make of five letters or so with one letter wrong ("lexsus"), when the word is no Spanish word and only one
        make is that close: makes are few, so a short name may take the one edit a longer model name needs."""
        if len(folded) < _SHORT_MAKE_TYPO_LENGTH:
            return None
        close = [
            key
            for key in self._folded_make_keys
            if len(key) >= _SHORT_MAKE_TYPO_LENGTH - 1
            and key[0] == folded[0]
            and Levenshtein.distance(folded, key, score_cutoff=1) <= 1
        ]
        return close[0] if len(close) == 1 else None

    @staticmethod
    def _is_mini_adjective(key: str, tokens: list[_Token], next_index: int) -> bool:
        return key == "mini" and next_index < len(tokens) and tokens[next_index].text in _NOT_MINI_BEFORE

    def _find_models(self, tokens: list[_Token], make_hits: list[_Found], mentioned: set[str]) -> list[_Found]:
        found: list[_Found] = []
        taken: set[int] = set()
        for index in range(len(tokens)):
            if index in taken:
                continue
            hit = self._exact_model_at(tokens, index, mentioned)
            if hit is not None:
                found.append(hit)
                taken.update(hit.tokens)
        taken.update(i for hit in make_hits if hit.span.kind == "make" for i in hit.tokens)
        after_make = {hit.tokens.stop for hit in make_hits if hit.span.kind == "make"}
        for index in range(len(tokens)):
            if index in taken:
                continue
            hit = self._loose_pair_model(tokens, index, taken, mentioned) or self._loose_model(
                tokens, index, mentioned, after_make=index in after_make
            )
            if hit is not None:
                found.append(hit)
                taken.update(hit.tokens)
        return sorted(found, key=lambda hit: hit.span.start)

    def _loose_pair_model(
        self, tokens: list[_Token], index: int, taken: set[int], mentioned: set[str]
    ) -> _Found | None:
        """A model name of two words, both misspelt or run into each other ("eclips cros"), when not both are
        ordinary Spanish words ("monte rosa" is no Montero Sport)."""
        pair = tokens[index : index + 2]
        if len(pair) < 2 or index + 1 in taken:
            return None
        words = [token.text for token in pair]
        if not all(word.isalpha() and len(word) >= 3 and word not in STOP_WORDS for word in words):
            return None
        if all(is_spanish_word(word) for word in words):
            return None
        key = _closest_folded(fold("".join(words)), self._fuzzy_pair_keys)
        if key is None:
            return None
        return self._pick(self._folded_pair_keys[key], tokens, range(index, index + 2), mentioned, "model")

    def _exact_model_at(self, tokens: list[_Token], index: int, mentioned: set[str]) -> _Found | None:
        for first, sizes in self._first_word_forms(tokens[index].text):
            for size in sizes:
                window = tokens[index : index + size]
                join = _join_strength(window) if len(window) == size else _NO_JOIN
                if join == _NO_JOIN:
                    continue
                key = first + _join_key(window)[len(tokens[index].text) :]
                for index_map, kind in ((self._model_keys, "model"), (self._known_model_keys, "unknown_model")):
                    entries = index_map.get(key, ())
                    if join == _JOIN_WITH_MAKE:  # "a 1 año" is no A1; "audi a 1" is, but not "audi … a 3 años"
                        before_a_term = index + size < len(tokens) and counts_time(tokens[index + size].text)
                        entries = [] if before_a_term else [e for e in entries if compact_key(e.make) in mentioned]
                    hit = self._pick(entries, tokens, range(index, index + size), mentioned, kind)
                    if hit is not None:
                        return hit
        return None

    def _first_word_forms(self, word: str) -> list[tuple[str, tuple[int, ...]]]:
        """How the first word of a model name may be read, with the name sizes to try."""
        forms: list[tuple[str, tuple[int, ...]]] = []
        if word in self._key_prefixes:
            forms.append((word, (4, 3, 2, 1)))  # "tiggo 7 pro max"
        elif _singular(word) in self._key_prefixes:
            forms.append((_singular(word), (4, 3, 2)))  # "mazdas 3", "las series 3"; one-word plurals go the loose way
        if len(word) >= 4 and word.isalpha() and word not in STOP_WORDS:
            refolded = self._first_words.get(fold(word))
            if refolded and refolded != word:
                forms.append((refolded, (4, 3, 2)))  # "tigo 8": one-word typos go the loose way
        return forms  # mostly empty: no model name starts with this word, the common case, kept cheap

    def _loose_model(
        self, tokens: list[_Token], index: int, mentioned: set[str], *, after_make: bool = False
    ) -> _Found | None:
        word = tokens[index].text
        if len(word) < 4 or not word.isalpha():
            return None
        folded = fold(word)
        entries = self._folded_model_keys.get(folded)
        if entries is None:
            # "cadera", "fermento", "expandir" are words, not a misspelt Carrera, Formentor or Xpander.
            spanish = is_spanish_word(word)
            key = None if spanish else _closest_folded(folded, self._fuzzy_model_keys)
            if key is None and word not in STOP_WORDS and not is_any_spanish_word(word):
                key = _by_ear(word, folded, self._model_sounds)
            entries = self._folded_model_keys[key] if key else []
            if not entries and after_make:
                entries = self._model_of_named_make(word, folded, mentioned)  # right after its make: "toyota …"
            # Typos reach whole names and first words ("cayen" of "Cayenne Coupé"), not "cajera" for "911 Carrera";
            # a later word when the name's first word comes before it ("grand cheroqui").
            before = tokens[index - 1].text if index > 0 and len(tokens[index - 1].text) >= 3 else None
            entries = [
                entry
                for entry in entries
                if entry.shorter is None
                or _first_word(entry.model) == entry.key
                or (before is not None and _first_word(entry.model).startswith(before))
            ]
        if word in STOP_WORDS:  # "compas" is a buddy unless the Jeep is named too
            entries = [entry for entry in entries if compact_key(entry.make) in mentioned]
        return self._pick(entries, tokens, range(index, index + 1), mentioned, "model")

    def _model_of_named_make(self, word: str, folded: str, mentioned: set[str]) -> list[_ModelEntry]:
        """The model of a make the message names that a word is most alike to, if alike enough: right after its
        make even a word ("chevrolet cautiva") or a short name ("nissan kicx") is that make's model."""
        scores: dict[str, float] = {}
        for make in self.makes:
            if compact_key(make) not in mentioned:
                continue
            for model in self._models_by_make[make]:
                key = compact_key(model)
                if key in self._model_keys and key.isalpha():
                    scores[key] = max(fuzz.ratio(word, key), _similarity(word, folded, fold(key)))
        best = max(scores.values(), default=0.0)
        alike = [key for key, score in scores.items() if score == best]
        if best < _NAMED_MAKE_SIMILARITY or len(alike) != 1:
            return []
        return [entry for entry in self._model_keys[alike[0]] if compact_key(entry.make) in mentioned]

    @staticmethod
    def _pick(
        entries: Iterable[_ModelEntry], tokens: list[_Token], where: range, mentioned: set[str], kind: str
    ) -> _Found | None:
        """The model (or the family of models) a name stands for, if the message allows reading it so."""
        candidates = list(entries)
        if not candidates:
            return None
        of_named_make = [entry for entry in candidates if compact_key(entry.make) in mentioned]
        candidates = of_named_make or candidates
        entry = candidates[0]
        make_named = bool(of_named_make)
        # A shorter name that is also a word wants a cue ("la carrera" of "911 Carrera"), or, if short, the make
        # ("ora" of "Ora 03").
        word = tokens[where.start].text if entry.shorter is not None and len(where) == 1 else ""
        spanish = bool(word) and is_spanish_word(word)
        if (entry.needs_make or (spanish and len(word) < 5)) and not make_named:
            return None
        if (entry.needs_cue or spanish) and not make_named and not _has_cue(tokens, where.start, len(where)):
            return None
        span_of = tokens[where.start].start, tokens[where.stop - 1].end
        models = tuple(dict.fromkeys((candidate.make, candidate.model) for candidate in candidates))
        if len(models) == 1 or entry.shorter is None:
            return _Found(Span(*span_of, kind, entry.model), where, make=entry.make)
        # "tiggo 8" when the catalog has the Tiggo 8 Pro and the Tiggo 8 Pro Max: the family, not one of them.
        makes = {make for make, _model in models}
        family_make = entry.make if len(makes) == 1 else None
        return _Found(Span(*span_of, "model_family", entry.shorter), where, make=family_make, candidates=models)

    def _mentions(self, make_hits: list[_Found], model_hits: list[_Found]) -> Mentions:
        mentions = Mentions()
        for hit in make_hits:
            mentions.spans.append(hit.span)
            if hit.span.kind == "make" and hit.span.value not in mentions.makes:
                mentions.makes.append(hit.span.value)
            elif hit.span.kind == "unknown_make" and mentions.unknown_make is None:
                mentions.unknown_make = hit.span.value
        for hit in model_hits:
            mentions.spans.append(hit.span)
            if hit.span.kind == "model" and hit.make:
                mentions.models.append((hit.make, hit.span.value))
            elif hit.span.kind == "unknown_model" and mentions.unknown_model is None:
                mentions.unknown_model, mentions.unknown_model_make = hit.span.value, hit.make
            elif hit.span.kind == "model_family" and mentions.family is None:
                mentions.family, mentions.model_candidates = hit.span.value, list(hit.candidates)
        mentions.spans.sort(key=lambda span: (span.start, span.end))
        if mentions.models:
            mentions.make, mentions.model = mentions.models[0]  # a model implies its make
            mentions.family, mentions.model_candidates = None, []
        elif mentions.makes:
            mentions.make = mentions.makes[0]
        elif mentions.family:
            mentions.make = next((hit.make for hit in model_hits if hit.span.kind == "model_family"), None)
        return mentions

    # --- Suggestions -----------------------------------------------------------------------

    def closest(self, text: str, limit: int = 3) -> list[tuple[str, str | None]]:
        """What the catalog has that comes closest to an unknown make or model: (make, model or None)."""
        mentions = self.find(text)
        if mentions.model and mentions.make:
            return [(mentions.make, mentions.model)][:limit]
        if mentions.unknown_model and mentions.unknown_model_make:
            return self._like_model(mentions.unknown_model_make, mentions.unknown_model, limit)
        if mentions.unknown_make:
            return self._like_make(mentions.unknown_make, limit)
        if mentions.make:
            return [(mentions.make, None)][:limit]
        return self._spelled_like(text, limit)

    def _like_model(self, make: str, model: str, limit: int) -> list[tuple[str, str | None]]:
        body = infer_body_type(make, model)
        same_make = self.models_of(make)
        catalog_make = self._make_by_key.get(compact_key(make))
        ranked = [(catalog_make, name) for name in same_make if catalog_make]
        ranked.sort(key=lambda pair: infer_body_type(pair[0], pair[1]) != body)
        same_body = [
            (other_make, name)
            for other_make in self.makes
            for name in self._models_by_make[other_make]
            if other_make != catalog_make and body and infer_body_type(other_make, name) == body
        ]
        if ranked and infer_body_type(*ranked[0]) == body:
            return ranked[:limit]
        return (same_body + ranked)[:limit] if same_body else ranked[:limit]

    def _like_make(self, make: str, limit: int) -> list[tuple[str, str | None]]:
        premium = compact_key(make) in PREMIUM_MAKES
        same_segment = [name for name in self.makes if (compact_key(name) in PREMIUM_MAKES) == premium]
        return [(name, None) for name in same_segment[:limit]]

    def _spelled_like(self, text: str, limit: int) -> list[tuple[str, str | None]]:
        words = [fold(word) for word in _TOKEN.findall(text) if len(word) >= 4 and word not in STOP_WORDS]
        if not words:
            return []
        choices: dict[str, tuple[str, str | None]] = {}
        for make, models in self._models_by_make.items():
            choices.setdefault(fold(compact_key(make)), (make, None))
            for model in models:
                choices.setdefault(fold(compact_key(model)), (make, model))
        scored: dict[tuple[str, str | None], float] = {}
        for word in words:
            for _key, score, _index in process.extract(word, list(choices), scorer=fuzz.ratio, limit=limit):
                pair = choices[_key]
                if score >= 70 and score > scored.get(pair, 0):
                    scored[pair] = score
        return [pair for pair, _score in sorted(scored.items(), key=lambda item: -item[1])][:limit]


@functools.cache
def _spelling_variants() -> tuple[str, ...]:
    """The aliases that spell the make's name another way ("chery", "mitsubichi"), not slang for it ("vocho")."""
    return tuple(
        alias
        for canonical, aliases in MAKE_ALIASES.items()
        for alias in aliases
        if fuzz.ratio(compact_key(alias), compact_key(canonical)) >= _VARIANT_SIMILARITY
    )


def _short_names(model: str) -> dict[str, str]:
    """Shorter names a model answers to, key → catalog spelling: "Clase CLA" → cla; "Discovery Sport" →
    discovery; "Tiggo 8 Pro Max" → tiggo8pro, tiggo8, tiggo (the name without its trim, as people say it)."""
    spelled = [word for word in re.split(r"[\s\-]+", model) if compact_key(word)]
    words = [compact_key(word) for word in spelled]
    keys: dict[str, str] = {}
    if len(words) == 2 and words[0] == "clase" and len(words[1]) >= 3:
        keys[words[1]] = spelled[1]
    if len(words) >= 2:
        named = [index for index, word in enumerate(words)
                 if len(word) >= 5 and word.isalpha() and word not in _GENERIC_MODEL_WORDS]
        if named and words[named[-1]] not in STOP_WORDS:
            keys[words[named[-1]]] = spelled[named[-1]]
    name = model.split()  # "CX-5" stays one word
    while name:
        for size in range(len(name), 0, -1):
            base = name[:size]
            if all(compact_key(word) in _GENERIC_MODEL_WORDS for word in base):
                continue  # "Grand" of "Grand i10", "Clase" of "Clase C Coupé": no name
            keys.setdefault(compact_key("".join(base)), " ".join(base))
        if compact_key(name[0]) not in _GENERIC_MODEL_WORDS:
            break
        name = name[1:]  # "Grand i10 Hatchback" → i10
    keys.pop(compact_key(model), None)
    return keys


def _first_word(model: str) -> str:
    return compact_key(re.split(r"[\s\-]+", model.strip())[0])


def _singular(word: str) -> str:
    """ "vochos" → "vocho", "kias" → "kia", "bmws" → "bmw"; three letters keep their s ("gas", "mas")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        hyphen = match.start() > 0 and text[match.start() - 1] == "-"
        tokens.append(_Token(match.group(0), match.start(), match.end(), hyphen))
    return tokens


_NO_JOIN, _JOIN_WITH_MAKE, _JOIN = 0, 1, 2


def _join_strength(window: list[_Token]) -> int:
    """Whether tokens may be read as one model name: "cx 5", "t cross" and "l 200" yes; "a 1" (as in "a 1 año")
    only with the make named; "2019 2020" never."""
    strength = _JOIN
    for left, right in itertools.pairwise(window):
        if right.hyphen_before:
            continue
        if left.text.isdigit() and right.text.isdigit():
            return _NO_JOIN
        letter = left.text if len(left.text) == 1 and _is_number(right.text) else None
        if len(right.text) == 1 and left.text.isdigit():
            letter = right.text
        if letter is not None and (letter in _ONE_LETTER_WORDS or letter.isdigit()):
            strength = _JOIN_WITH_MAKE
    return strength


def _is_number(word: str) -> bool:
    return word.isdigit() or word in _NUMBER_WORDS


def _join_key(window: list[_Token]) -> str:
    parts = [window[0].text] + [_NUMBER_WORDS.get(token.text, token.text) for token in window[1:]]
    return "".join(parts)


def _has_cue(tokens: list[_Token], index: int, size: int) -> bool:
    before = tokens[index - 1].text if index > 0 else ""
    after = tokens[index + size].text if index + size < len(tokens) else ""
    if len(tokens) == size:
        return True  # the whole message is the name: "versa?"
    if bool(_YEAR.match(after)) or after == "modelo":
        return True
    if before not in MODEL_CUES:
        return False
    preposition = tokens[index - 2].text if index > 1 else ""
    return not (tokens[index].text in PLACE_MODEL_WORDS and preposition in _PLACE_PREPOSITIONS)


def _closest_folded(folded: str, keys: list[str]) -> str | None:
    if len(folded) < 5 or not keys:
        return None
    best: str | None = None
    best_distance = 3
    for key in keys:
        if key[0] != folded[0]:
            continue
        limit = _max_edits(key)
        distance = Levenshtein.distance(folded, key, score_cutoff=limit)
        if distance <= limit and distance < best_distance:
            best, best_distance = key, distance
    return best
