import itertools
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from nlu import stemming

SYLLABLES = ["ca", "mi", "nan", "do", "re", "pa", "sa", "cio", "nes", "mente", "ando", "iendo", "aron", "ieron"]
WORDS = ["".join(parts) for parts in itertools.product(SYLLABLES, repeat=3)]


@pytest.fixture
def frequent_thread_switches():
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # a switch every few bytecodes: what many requests at once do to a thread
    yield
    sys.setswitchinterval(interval)


def test_it_cuts_a_word_to_its_stem():
    assert stemming.stem("pagaron") == stemming.stem("pagar") == "pag"


def test_it_stems_many_words_like_one_at_a_time():
    assert stemming.stems(["vacaciones", "nominas"]) == [stemming.stem("vacaciones"), stemming.stem("nominas")]


def test_it_gives_every_thread_the_same_stems(frequent_thread_switches):
    expected = stemming.stems(WORDS)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: stemming.stems(WORDS), range(8)))
    assert all(result == expected for result in results)
