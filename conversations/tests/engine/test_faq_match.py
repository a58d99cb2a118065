import csv
from functools import lru_cache
from pathlib import Path

import pytest

from conversations.engine.faq_match import CONFIDENCE_THRESHOLD, FaqEntry, FaqIndex, get_faq_index
from conversations.tests.factories import FAQFactory, OnboardingAssistantFactory

DEMO = Path(__file__).resolve().parents[2] / "demo"


@lru_cache
def index_of(path: Path) -> FaqIndex:
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return FaqIndex.build(
        FaqEntry(id=n, question=row["question"], answer=row["answer"], additional_info=row["additional_info"])
        for n, row in enumerate(rows, start=1)
    )


def confident_question(index: FaqIndex, text: str) -> str | None:
    match = index.best(text)
    return match.question if match and match.score >= CONFIDENCE_THRESHOLD else None


# --- The sample HR knowledge base (../shared) ------------------------------------------

HR_PARAPHRASES = [
    ("cuándo cae la quincena", "¿Cuándo es el día de pago?"),
    ("qué día depositan el sueldo?", "¿Cuándo es el día de pago?"),
    ("en qué fecha me pagan", "¿Cuándo es el día de pago?"),
    ("dónde veo mis talones de pago", "¿Cómo consulto mis recibos de nómina?"),
    ("cómo descargo mis CFDI", "¿Cómo consulto mis recibos de nómina?"),
    ("cuántos días libres tengo", "¿Cuántos días de vacaciones tengo?"),
    ("cuantos dias de vacasiones tengo", "¿Cuántos días de vacaciones tengo?"),
    ("quiero tomar vacaciones en diciembre, qué hago?", "¿Cómo solicito vacaciones?"),
    ("a qué hora entro", "¿Cuál es el horario de trabajo?"),
    ("entramos a las 9?", "¿Cuál es el horario de trabajo?"),
    ("hay home office?", "¿Puedo trabajar desde casa?"),
    ("tengo que ir todos los días a la oficina?", "¿Puedo trabajar desde casa?"),
    ("me van a dar laptop?", "¿Cuándo recibo mi laptop?"),
    ("y mi equipo de cómputo cuándo me lo dan", "¿Cuándo recibo mi laptop?"),
    ("cómo me dan acceso al slack", "¿Cómo obtengo acceso a mi correo y a las herramientas?"),
    ("mi laptop no enciende, qué hago", "¿A quién le pido ayuda con problemas de TI?"),
    ("no jala mi vpn", "¿A quién le pido ayuda con problemas de TI?"),
    ("cómo levanto un ticket de soporte", "¿A quién le pido ayuda con problemas de TI?"),
    ("qué beneficios ofrece la empresa", "¿Qué prestaciones tengo?"),
    ("tienen aguinaldo?", "¿Qué prestaciones tengo?"),
    ("tengo seguro de gastos médicos?", "¿Qué prestaciones tengo?"),
    ("quiero meter a mi esposo al seguro", "¿Cómo doy de alta a mis beneficiarios del seguro?"),
    ("tengo que llevar mi CURP?", "¿Qué documentos debo entregar?"),
    ("cuándo me dan la planta?", "¿Cuándo termina mi periodo de prueba?"),
    ("quién va a ser mi mentor", "¿Quién es mi buddy de onboarding?"),
    ("estoy enfermo, cómo justifico mi falta", "¿Cómo reporto una incapacidad?"),
    ("se puede usar mezclilla?", "¿Hay código de vestimenta?"),
    ("gasté en un taxi del trabajo, me lo reembolsan?", "¿Cómo pido un reembolso de gastos?"),
    ("qué capacitaciones son obligatorias", "¿Qué cursos de capacitación debo tomar?"),
    ("cómo llego a la ofi", "¿Dónde está la oficina?"),
    ("me dan cajón de estacionamiento?", "¿Tengo estacionamiento?"),
    ("puedo llegar en carro?", "¿Tengo estacionamiento?"),
    ("la empresa aporta al ahorro?", "¿Cómo funciona el fondo de ahorro?"),
    ("mi jefa me trata mal, qué puedo hacer", "¿Con quién hablo si tengo un problema con mi líder?"),
    ("cada cuánto hay evaluaciones", "¿Cuándo es la evaluación de desempeño?"),
    ("mi primo busca chamba, lo puedo recomendar?", "¿Puedo referir a un candidato?"),
    ("se descansa el 16 de septiembre?", "¿Qué días son festivos?"),
    ("qué días no se trabaja", "¿Qué días son festivos?"),
]


@pytest.mark.parametrize(("message", "question"), HR_PARAPHRASES)
def test_it_matches_a_paraphrase_to_its_hr_faq(shared_dir, message, question):
    index = index_of(shared_dir / "data" / "hr_onboarding_faqs.csv")
    assert confident_question(index, message) == question


@pytest.mark.parametrize(
    "message",
    [
        "cuánto está el dólar",
        "me recomiendas una pizzería",
        "hay gimnasio",
        "¿hay gimnasio en la oficina?",
        "¿puedo llevar a mi perro a la oficina?",
        "quién ganó el partido",
        "qué hora es",
        "oye y tú en qué me puedes ayudar?",
    ],
)
def test_it_is_not_confident_about_what_no_hr_faq_answers(shared_dir, message):
    index = index_of(shared_dir / "data" / "hr_onboarding_faqs.csv")
    assert confident_question(index, message) is None


# --- The project's demo knowledge bases -------------------------------------------------

BLINKY_PARAPHRASES = [
    ("cada cuándo depositan", "¿Qué días me pagan?"),
    ("necesito mi recibo de nómina de marzo", "¿Dónde descargo mis recibos de nómina?"),
    ("cuántas vacaciones me dan", "¿Cuántos días de vacaciones me tocan?"),
    ("quiero sacar vacaciones en agosto", "¿Cómo pido mis vacaciones?"),
    ("hay horario flexible?", "¿Cuál es el horario de trabajo?"),
    ("es remoto?", "¿Se puede trabajar desde casa?"),
    ("cuándo me entregan mi computadora", "¿Cuándo me dan mi laptop?"),
    ("no tengo mi usuario del correo", "¿Cómo activo mi correo y mis cuentas?"),
    ("olvidé mi contraseña", "¿A quién le escribo si falla mi computadora o no puedo entrar a un sistema?"),
    ("dan vales de despensa?", "¿Qué prestaciones tengo?"),
    ("puedo meter a mis hijos al seguro", "¿Cómo agrego a mi familia al seguro de gastos médicos?"),
    ("qué papeles llevo", "¿Qué documentos necesito para mi alta?"),
    ("cuándo se acaba mi prueba", "¿Cuánto dura el periodo de prueba?"),
    ("me van a asignar a alguien que me guíe?", "¿Voy a tener un buddy?"),
    ("amanecí enfermo, qué hago", "¿Qué hago si me enfermo?"),
    ("puedo ir en shorts?", "¿Cómo me visto para ir a la oficina?"),
    ("cómo pido un reembolso", "¿Cómo compruebo mis gastos de viaje?"),
    ("qué cursos son obligatorios", "¿Qué cursos tengo que tomar?"),
    ("cuál es la dirección de la ofi", "¿Dónde queda la oficina?"),
    ("puedo llevar mi moto?", "¿Hay estacionamiento?"),
    ("cuánto aporta la empresa al ahorro", "¿Cómo funciona el fondo de ahorro?"),
    ("tengo broncas con mi supervisora", "¿Qué hago si tengo un problema con mi jefe?"),
    ("cada cuánto evalúan", "¿Cuándo son las evaluaciones de desempeño?"),
    ("tengo un conocido para una vacante", "¿Puedo recomendar a alguien para una vacante?"),
    ("se descansa el 1 de mayo?", "¿Qué días son festivos?"),
    ("dónde como?", "¿Dónde puedo comer?"),
]

KVKY_PARAPHRASES = [
    ("dan garantía?", "¿Los autos tienen garantía?"),
    ("si se descompone el motor me lo cubren?", "¿Los autos tienen garantía?"),
    ("si no me gusta lo puedo regresar?", "¿Puedo devolver el auto si no me convence?"),
    ("me devuelven mi dinero si me arrepiento?", "¿Puedo devolver el auto si no me convence?"),
    ("qué papeles necesito para comprar", "¿Qué documentos necesito para comprar un auto?"),
    ("reciben mi carro como parte de pago?", "¿Toman mi auto a cuenta?"),
    ("cuánto me dan por mi auto", "¿Toman mi auto a cuenta?"),
    ("quiero vender mi camioneta", "¿Toman mi auto a cuenta?"),
    ("qué necesito para sacar un crédito", "¿Qué requisitos piden para el crédito?"),
    ("estoy en buró, me dan crédito?", "¿Qué requisitos piden para el crédito?"),
    ("lo puedo manejar antes?", "¿Puedo hacer una prueba de manejo?"),
    ("hacen test drive?", "¿Puedo hacer una prueba de manejo?"),
    ("me lo llevan a mi casa?", "¿Entregan el auto a domicilio?"),
    ("me lo pueden mandar a Puebla?", "¿Entregan el auto a domicilio?"),
    ("cómo sé que no está chocado", "¿Qué revisión tienen los autos?"),
    ("me ayudan a asegurar el coche", "¿Me ayudan con el seguro del auto?"),
    ("puedo pagar en efectivo?", "¿Qué formas de pago aceptan?"),
    ("aceptan meses sin intereses?", "¿Qué formas de pago aceptan?"),
    ("me haces una rebaja?", "¿Los precios son negociables?"),
    ("ustedes tramitan las placas?", "¿Me ayudan con el cambio de propietario y las placas?"),
    ("los carros traen factura?", "¿Los autos tienen factura original?"),
]


@pytest.mark.parametrize(("message", "question"), BLINKY_PARAPHRASES)
def test_it_matches_a_paraphrase_to_its_demo_onboarding_faq(message, question):
    assert confident_question(index_of(DEMO / "faqs_blinky.csv"), message) == question


@pytest.mark.parametrize(("message", "question"), KVKY_PARAPHRASES)
def test_it_matches_a_paraphrase_to_its_demo_sales_faq(message, question):
    assert confident_question(index_of(DEMO / "faqs_kvky.csv"), message) == question


@pytest.mark.parametrize(
    "message",
    [
        "tienen chevys de menos de 300k?",
        "necesito un carro",
        "el onix tiene carplay?",
        "quiero hablar con una persona",
        "qué camionetas tienen de menos de 400 mil",
        "cuál me recomiendas para familia",
    ],
)
def test_it_is_not_confident_about_sales_turns_that_are_no_faq(message):
    assert confident_question(index_of(DEMO / "faqs_kvky.csv"), message) is None


@pytest.mark.parametrize("message", ["¿hay gimnasio en la oficina?", "hay regaderas en el edificio?"])
def test_it_does_not_answer_something_else_at_the_office_with_the_office_address(message):
    assert confident_question(index_of(DEMO / "faqs_blinky.csv"), message) is None


# --- Index behaviour -------------------------------------------------------------------

PET_FAQ = FaqEntry(id=7, question="¿Hay lugar para mascotas?", answer="Los viernes puedes traer a tu mascota.")


def test_it_matches_a_phrasing_given_in_the_keywords():
    with_keywords = FaqEntry(id=7, question=PET_FAQ.question, answer=PET_FAQ.answer, keywords="perrito\ngatito")
    assert FaqIndex.build([PET_FAQ]).best("puedo llevar a mi perrito?") is None
    assert confident_question(FaqIndex.build([with_keywords]), "puedo llevar a mi perrito?") == PET_FAQ.question


def test_it_returns_nothing_when_no_faq_shares_a_word_with_the_message():
    assert FaqIndex.build([PET_FAQ]).best("cuánto está el dólar") is None


def test_it_returns_nothing_for_an_empty_index():
    assert FaqIndex.build([]).best("¿cuándo me pagan?") is None


def test_it_ranks_matches_best_first_up_to_the_limit():
    ranked = index_of(DEMO / "faqs_blinky.csv").ranked("vacaciones", limit=2)
    assert [match.question for match in ranked] == [
        "¿Cuántos días de vacaciones me tocan?",
        "¿Cómo pido mis vacaciones?",
    ]
    assert ranked[0].score >= ranked[1].score


def test_it_scores_the_question_itself_as_a_full_match():
    match = index_of(DEMO / "faqs_kvky.csv").best("¿Los autos tienen garantía?")
    assert (match.question, match.score) == ("¿Los autos tienen garantía?", 1.0)


def test_it_carries_the_answer_and_additional_info_in_the_match():
    match = FaqIndex.build([PET_FAQ]).best("hay lugar para mascotas")
    assert (match.id, match.answer, match.additional_info) == (7, PET_FAQ.answer, "")


def test_it_gets_an_entry_by_its_id():
    index = FaqIndex.build([PET_FAQ])
    assert index.get(7) == PET_FAQ
    assert index.get(8) is None


# --- Per-assistant cache ------------------------------------------------------------------


@pytest.mark.django_db
def test_it_builds_the_assistants_index_from_its_active_faqs_only():
    assistant = OnboardingAssistantFactory()
    FAQFactory(assistant=assistant, question="¿Cuándo me pagan?", answer="Los días 15 y 30.")
    FAQFactory(assistant=assistant, question="¿Hay gimnasio?", answer="No.", is_active=False)
    index = get_faq_index(assistant)
    assert len(index) == 1
    assert index.best("hay gimnasio?") is None


@pytest.mark.django_db
def test_it_reuses_the_index_while_the_faqs_do_not_change(django_assert_num_queries):
    assistant = OnboardingAssistantFactory()
    FAQFactory(assistant=assistant, question="¿Cuándo me pagan?")
    first = get_faq_index(assistant)
    with django_assert_num_queries(1):
        assert get_faq_index(assistant) is first


@pytest.mark.django_db
def test_it_rebuilds_the_index_when_a_faq_is_added():
    assistant = OnboardingAssistantFactory()
    FAQFactory(assistant=assistant, question="¿Cuándo me pagan?")
    get_faq_index(assistant)
    FAQFactory(assistant=assistant, question="¿Hay estacionamiento?", answer="Sí, por sorteo.")
    assert confident_question(get_faq_index(assistant), "me dan cajón?") == "¿Hay estacionamiento?"


@pytest.mark.django_db
def test_it_rebuilds_the_index_when_a_faq_is_edited():
    assistant = OnboardingAssistantFactory()
    faq = FAQFactory(assistant=assistant, question="¿Cuándo me pagan?")
    get_faq_index(assistant)
    faq.question = "¿Hay estacionamiento?"
    faq.save()
    assert confident_question(get_faq_index(assistant), "me dan cajón?") == "¿Hay estacionamiento?"


@pytest.mark.django_db
def test_it_rebuilds_the_index_when_a_faq_is_deactivated():
    assistant = OnboardingAssistantFactory()
    faq = FAQFactory(assistant=assistant, question="¿Hay estacionamiento?")
    get_faq_index(assistant)
    faq.is_active = False
    faq.save()
    assert len(get_faq_index(assistant)) == 0
