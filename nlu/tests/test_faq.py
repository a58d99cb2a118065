import csv
from functools import lru_cache
from pathlib import Path

import pytest

from nlu import sentences
from nlu.faq import CONFIDENCE_THRESHOLD, FaqEntry, FaqIndex, analyse, terms_of

DEMO = Path(__file__).resolve().parents[2] / "conversations" / "demo"


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
    ("pagué la comida del equipo de mi bolsa, ¿me la reponen?", "¿Cómo pido un reembolso de gastos?"),
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


# --- How people really write: WhatsApp Spanish, slang, English mixed in --------------------

SALES_CHAT_PARAPHRASES = [
    ("q garantia traen los carros?", "¿Los autos tienen garantía?"),
    ("si le falla la transmision a los 2 meses quien responde?", "¿Los autos tienen garantía?"),
    ("cuanto tiempo de garantia le dan al motor", "¿Los autos tienen garantía?"),
    ("se puede extender la garantia a 2 años?", "¿Los autos tienen garantía?"),
    ("tienen algun respaldo si sale malo el coche?", "¿Los autos tienen garantía?"),
    ("y si me sale con fallas el carro?", "¿Los autos tienen garantía?"),
    ("si ya lo compre y no me gusto, me regresan mi dinero?", "¿Puedo devolver el auto si no me convence?"),
    ("cuantos dias tengo pa regresarlo", "¿Puedo devolver el auto si no me convence?"),
    ("si me arrepiento de la compra me regresan la lana?", "¿Puedo devolver el auto si no me convence?"),
    ("hay devolucion si no me late el carro?", "¿Puedo devolver el auto si no me convence?"),
    ("y si a la semana no me convence, lo devuelvo?", "¿Puedo devolver el auto si no me convence?"),
    ("que documentos piden pa comprar de contado", "¿Qué documentos necesito para comprar un auto?"),
    ("q tengo q llevar pa comprar el auto?", "¿Qué documentos necesito para comprar un auto?"),
    ("con mi ine basta para comprar?", "¿Qué documentos necesito para comprar un auto?"),
    ("ocupo comprobante de domicilio para la compra?", "¿Qué documentos necesito para comprar un auto?"),
    ("que papeleria necesito para llevarmelo", "¿Qué documentos necesito para comprar un auto?"),
    ("aceptan mi carro como parte del pago?", "¿Toman mi auto a cuenta?"),
    ("tengo un tsuru 2012, me lo toman?", "¿Toman mi auto a cuenta?"),
    ("quiero cambiar mi carro por uno mas nuevo", "¿Toman mi auto a cuenta?"),
    ("cuanto me darian por mi nissan 2015", "¿Toman mi auto a cuenta?"),
    ("se puede dar mi coche como enganche?", "¿Toman mi auto a cuenta?"),
    ("hacen avaluo de mi camioneta?", "¿Toman mi auto a cuenta?"),
    ("les vendo mi carro y me llevo uno de ustedes", "¿Toman mi auto a cuenta?"),
    ("que me piden pa darme credito", "¿Qué requisitos piden para el crédito?"),
    ("cuales son los requisitos del financiamiento", "¿Qué requisitos piden para el crédito?"),
    ("me checan buro?", "¿Qué requisitos piden para el crédito?"),
    ("sin historial crediticio me pueden financiar?", "¿Qué requisitos piden para el crédito?"),
    ("a partir de que edad dan credito?", "¿Qué requisitos piden para el crédito?"),
    ("ocupo comprobar ingresos pa el credito?", "¿Qué requisitos piden para el crédito?"),
    ("q papeles piden para el credito", "¿Qué requisitos piden para el crédito?"),
    ("se puede probar el carro antes?", "¿Puedo hacer una prueba de manejo?"),
    ("quiero darle una vuelta al mazda antes de decidirme", "¿Puedo hacer una prueba de manejo?"),
    ("puedo agendar un test drive pal sabado?", "¿Puedo hacer una prueba de manejo?"),
    ("ocupo licencia pa la prueba de manejo?", "¿Puedo hacer una prueba de manejo?"),
    ("me dejan manejarlo tantito?", "¿Puedo hacer una prueba de manejo?"),
    ("hacen envios a guadalajara?", "¿Entregan el auto a domicilio?"),
    ("me lo traen a mi casa o tengo que ir a la sucursal?", "¿Entregan el auto a domicilio?"),
    ("tiene costo el envio a otra ciudad?", "¿Entregan el auto a domicilio?"),
    ("entregan a domicilio en monterrey?", "¿Entregan el auto a domicilio?"),
    ("no puedo ir por el, me lo llevan hasta donde vivo?", "¿Entregan el auto a domicilio?"),
    ("que inspeccion le hacen a los carros antes de venderlos", "¿Qué revisión tienen los autos?"),
    ("como se que no es robado?", "¿Qué revisión tienen los autos?"),
    ("estan certificados los autos?", "¿Qué revisión tienen los autos?"),
    ("me pasan el reporte de la revision?", "¿Qué revisión tienen los autos?"),
    ("los checa un mecanico?", "¿Qué revisión tienen los autos?"),
    ("me cotizan la aseguranza?", "¿Me ayudan con el seguro del auto?"),
    ("puedo meter el seguro en el credito?", "¿Me ayudan con el seguro del auto?"),
    ("con que aseguradoras trabajan?", "¿Me ayudan con el seguro del auto?"),
    ("el carro sale asegurado?", "¿Me ayudan con el seguro del auto?"),
    ("necesito traer mi poliza o ustedes la sacan?", "¿Me ayudan con el seguro del auto?"),
    ("puedo pagar con tarjeta de credito?", "¿Qué formas de pago aceptan?"),
    ("aceptan transferencia?", "¿Qué formas de pago aceptan?"),
    ("se puede pagar todo de contado?", "¿Qué formas de pago aceptan?"),
    ("reciben pagos en efectivo?", "¿Qué formas de pago aceptan?"),
    ("le puedo pagar con spei?", "¿Qué formas de pago aceptan?"),
    ("cuales son los metodos de pago", "¿Qué formas de pago aceptan?"),
    ("tienen msi con banamex?", "¿Qué formas de pago aceptan?"),
    ("es precio fijo o se puede negociar?", "¿Los precios son negociables?"),
    ("cual es su ultimo precio?", "¿Los precios son negociables?"),
    ("me lo dejan en 200 mil?", "¿Los precios son negociables?"),
    ("se puede regatear?", "¿Los precios son negociables?"),
    ("no me hacen un descuentito?", "¿Los precios son negociables?"),
    ("me lo rebajan si me lo llevo hoy?", "¿Los precios son negociables?"),
    ("ustedes lo emplacan?", "¿Me ayudan con el cambio de propietario y las placas?"),
    ("quien hace el cambio de dueño?", "¿Me ayudan con el cambio de propietario y las placas?"),
    ("lo ponen a mi nombre?", "¿Me ayudan con el cambio de propietario y las placas?"),
    ("cuanto sale la tenencia?", "¿Me ayudan con el cambio de propietario y las placas?"),
    ("me dan la tarjeta de circulacion?", "¿Me ayudan con el cambio de propietario y las placas?"),
    ("ustedes sacan las placas o yo?", "¿Me ayudan con el cambio de propietario y las placas?"),
    ("tienen factura de agencia?", "¿Los autos tienen factura original?"),
    ("es refacturado?", "¿Los autos tienen factura original?"),
    ("vienen con factura original?", "¿Los autos tienen factura original?"),
    ("me dan la factura endosada?", "¿Los autos tienen factura original?"),
    ("los coches tienen factura o son de empresa?", "¿Los autos tienen factura original?"),
    ("cuantos meses de garantia tienen?", "¿Los autos tienen garantía?"),
    ("la garantia cubre motor y transmision?", "¿Los autos tienen garantía?"),
    ("tienen politica de devolucion?", "¿Puedo devolver el auto si no me convence?"),
    ("cuantos km puedo manejar antes de devolverlo", "¿Puedo devolver el auto si no me convence?"),
    ("que necesito llevar para comprar uno de contado?", "¿Qué documentos necesito para comprar un auto?"),
    ("piden comprobante de domicilio pa la compra?", "¿Qué documentos necesito para comprar un auto?"),
    ("mi carro todavia lo debo al banco, me lo reciben a cuenta?", "¿Toman mi auto a cuenta?"),
    ("puedo dejar mi coche como parte del enganche?", "¿Toman mi auto a cuenta?"),
    ("compran autos usados?", "¿Toman mi auto a cuenta?"),
    ("que ocupo para que me aprueben el credito", "¿Qué requisitos piden para el crédito?"),
    ("tengo mal buro, aun asi me financian?", "¿Qué requisitos piden para el crédito?"),
    ("cuales son los requisitos para financiar un auto?", "¿Qué requisitos piden para el crédito?"),
    ("se puede hacer prueba de manejo el domingo?", "¿Puedo hacer una prueba de manejo?"),
    ("antes de apartarlo lo puedo manejar?", "¿Puedo hacer una prueba de manejo?"),
    ("tienen entrega a domicilio?", "¿Entregan el auto a domicilio?"),
    ("cuanto cobran por mandarlo a merida?", "¿Entregan el auto a domicilio?"),
    ("que le revisan a los coches?", "¿Qué revisión tienen los autos?"),
    ("tienen certificado de inspeccion?", "¿Qué revisión tienen los autos?"),
    ("puedo sacar el seguro con ustedes?", "¿Me ayudan con el seguro del auto?"),
    ("el seguro se puede meter al financiamiento?", "¿Me ayudan con el seguro del auto?"),
    ("como se paga?", "¿Qué formas de pago aceptan?"),
    ("puedo pagar con tarjeta de debito?", "¿Qué formas de pago aceptan?"),
    ("hay descuentos?", "¿Los precios son negociables?"),
    ("el precio es negociable?", "¿Los precios son negociables?"),
    ("me lo entregan con placas?", "¿Me ayudan con el cambio de propietario y las placas?"),
    ("quien paga la tenencia?", "¿Me ayudan con el cambio de propietario y las placas?"),
    ("tienen factura de origen?", "¿Los autos tienen factura original?"),
    ("el carro tiene refactura?", "¿Los autos tienen factura original?"),
]


@pytest.mark.parametrize(("message", "question"), SALES_CHAT_PARAPHRASES)
def test_it_matches_a_chat_style_paraphrase_to_its_sales_faq(message, question):
    assert confident_question(index_of(DEMO / "faqs_kvky.csv"), message) == question


@pytest.mark.parametrize(
    "message",
    [
        "tienen jetta 2019?",
        "busco una camioneta familiar automatica",
        "tienes algun toyota automatico?",
        "cuanto cuesta el versa 2020?",
        "que precio tiene la hilux?",
        "precio?",
        "quiero comprar un carro",
        "cuantos km tiene el sentra?",
        "el versa tiene bluetooth?",
        "mandame fotos del mazda 3",
        "dame opciones de menos de 250k",
        "cuanto quedaria la mensualidad del onix a 48 meses?",
        "con 50 mil de enganche cuanto pagaria al mes?",
        "y al mes como cuanto seria?",
        "cuanto al mes por el aveo?",
        "y a 60 meses?",
        "cual es el enganche minimo?",
        "que tasa de interes manejan?",
        "quiero apartar el aveo",
        "hola buenas tardes",
        "gracias, bye",
        "me puedes ayudar?",
        "y tu en que me ayudas?",
        "me ayudas a escoger un carro?",
        "quien gano el futbol ayer",
        "como esta el clima en cdmx",
        "tienen sucursal en puebla?",
        "quiero hablar con un asesor",
    ],
)
def test_it_is_not_confident_about_searches_plans_or_small_talk_in_sales(message):
    assert confident_question(index_of(DEMO / "faqs_kvky.csv"), message) is None


ONBOARDING_CHAT_PARAPHRASES = [
    ("when is payday? el 15?", "¿Qué días me pagan?"),
    ("q dias cae la lana", "¿Qué días me pagan?"),
    ("where can i get my payslips", "¿Dónde descargo mis recibos de nómina?"),
    ("ocupo mis comprobantes de nomina, de donde los bajo?", "¿Dónde descargo mis recibos de nómina?"),
    ("how many vacation days do i have", "¿Cuántos días de vacaciones me tocan?"),
    ("con cuantos dias de vacas empiezo?", "¿Cuántos días de vacaciones me tocan?"),
    ("como solicito mis dias de vacaciones en el portal", "¿Cómo pido mis vacaciones?"),
    ("how do i request vacation? quiero sacar una semana", "¿Cómo pido mis vacaciones?"),
    ("what are the working hours?", "¿Cuál es el horario de trabajo?"),
    ("a q hora es la salida?", "¿Cuál es el horario de trabajo?"),
    ("is it remote o hibrido?", "¿Se puede trabajar desde casa?"),
    ("cuantos dias hay que ir a la ofi?", "¿Se puede trabajar desde casa?"),
    ("when do i get my computer?", "¿Cuándo me dan mi laptop?"),
    ("la lap me la mandan a mi casa?", "¿Cuándo me dan mi laptop?"),
    ("how do i activate my email?", "¿Cómo activo mi correo y mis cuentas?"),
    ("no me ha llegado mi usuario de slack", "¿Cómo activo mi correo y mis cuentas?"),
    (
        "my laptop is not working, a quien le aviso?",
        "¿A quién le escribo si falla mi computadora o no puedo entrar a un sistema?",
    ),
    (
        "se me bloqueo el password, quien me ayuda?",
        "¿A quién le escribo si falla mi computadora o no puedo entrar a un sistema?",
    ),
    ("what benefits do i have?", "¿Qué prestaciones tengo?"),
    ("de cuanto es el aguinaldo?", "¿Qué prestaciones tengo?"),
    ("can i add my wife to the health insurance?", "¿Cómo agrego a mi familia al seguro de gastos médicos?"),
    ("como inscribo a mi pareja en el gmm", "¿Cómo agrego a mi familia al seguro de gastos médicos?"),
    ("what documents do i need?", "¿Qué documentos necesito para mi alta?"),
    ("ocupo llevar el rfc y la curp?", "¿Qué documentos necesito para mi alta?"),
    ("how long is the probation period?", "¿Cuánto dura el periodo de prueba?"),
    ("cuantos meses son de prueba", "¿Cuánto dura el periodo de prueba?"),
    ("do i get a buddy?", "¿Voy a tener un buddy?"),
    ("quien me va a enseñar como funciona todo?", "¿Voy a tener un buddy?"),
    ("i am sick, le tengo que avisar a mi jefe?", "¿Qué hago si me enfermo?"),
    ("me dio gripa y no puedo ir, que hago", "¿Qué hago si me enfermo?"),
    ("is there a dress code?", "¿Cómo me visto para ir a la oficina?"),
    ("hay que ir de traje o es casual?", "¿Cómo me visto para ir a la oficina?"),
    ("how do i get my travel expenses back?", "¿Cómo compruebo mis gastos de viaje?"),
    ("donde subo las facturas de mi viaje?", "¿Cómo compruebo mis gastos de viaje?"),
    ("what training do i have to do?", "¿Qué cursos tengo que tomar?"),
    ("cuales son los cursos obligatorios del primer mes", "¿Qué cursos tengo que tomar?"),
    ("what is the office address?", "¿Dónde queda la oficina?"),
    ("en que colonia esta la oficina?", "¿Dónde queda la oficina?"),
    ("is there parking?", "¿Hay estacionamiento?"),
    ("hay lugar pa dejar el carro?", "¿Hay estacionamiento?"),
    ("how does the savings fund work?", "¿Cómo funciona el fondo de ahorro?"),
    ("cuanto pone la empresa al fondo?", "¿Cómo funciona el fondo de ahorro?"),
    ("i have a problem with my manager", "¿Qué hago si tengo un problema con mi jefe?"),
    ("mi jefe me grita, con quien me quejo?", "¿Qué hago si tengo un problema con mi jefe?"),
    ("when is the performance review?", "¿Cuándo son las evaluaciones de desempeño?"),
    ("en que meses nos califican el desempeño?", "¿Cuándo son las evaluaciones de desempeño?"),
    ("can i refer a friend?", "¿Puedo recomendar a alguien para una vacante?"),
    ("hay bono por referir gente?", "¿Puedo recomendar a alguien para una vacante?"),
    ("which holidays do we get?", "¿Qué días son festivos?"),
    ("el 2 de noviembre se trabaja?", "¿Qué días son festivos?"),
    ("where can i eat? hay cocina?", "¿Dónde puedo comer?"),
    ("hay microondas pa calentar mi comida?", "¿Dónde puedo comer?"),
    ("what day is payday", "¿Qué días me pagan?"),
    ("necesito mis payslips del mes pasado", "¿Dónde descargo mis recibos de nómina?"),
    ("how much vacation do i get?", "¿Cuántos días de vacaciones me tocan?"),
    ("quiero pedir vacation para diciembre", "¿Cómo pido mis vacaciones?"),
    ("what time do we start?", "¿Cuál es el horario de trabajo?"),
    ("is home office allowed?", "¿Se puede trabajar desde casa?"),
    ("la laptop me la dan el first day?", "¿Cuándo me dan mi laptop?"),
    ("no tengo mi password del email", "¿Cómo activo mi correo y mis cuentas?"),
    ("what are my benefits?", "¿Qué prestaciones tengo?"),
    ("how do i add my family to the insurance?", "¿Cómo agrego a mi familia al seguro de gastos médicos?"),
    ("which documents do i have to upload?", "¿Qué documentos necesito para mi alta?"),
    ("how long does the trial period last?", "¿Cuánto dura el periodo de prueba?"),
    ("will i have a mentor?", "¿Voy a tener un buddy?"),
    ("what if i get sick?", "¿Qué hago si me enfermo?"),
    ("can i wear jeans?", "¿Cómo me visto para ir a la oficina?"),
    ("how do i submit my expenses?", "¿Cómo compruebo mis gastos de viaje?"),
    ("which courses are mandatory?", "¿Qué cursos tengo que tomar?"),
    ("where's the office?", "¿Dónde queda la oficina?"),
    ("is there parking for bikes?", "¿Hay estacionamiento?"),
    ("how does the fondo de ahorro work?", "¿Cómo funciona el fondo de ahorro?"),
    ("my boss is harassing me", "¿Qué hago si tengo un problema con mi jefe?"),
    ("when do we have performance reviews?", "¿Cuándo son las evaluaciones de desempeño?"),
    ("do you have a referral program?", "¿Puedo recomendar a alguien para una vacante?"),
    ("what are the public holidays?", "¿Qué días son festivos?"),
    ("is there a cafeteria?", "¿Dónde puedo comer?"),
]


@pytest.mark.parametrize(("message", "question"), ONBOARDING_CHAT_PARAPHRASES)
def test_it_matches_a_chat_style_paraphrase_to_its_demo_onboarding_faq(message, question):
    assert confident_question(index_of(DEMO / "faqs_blinky.csv"), message) == question


HR_ENGLISH_MIXED_PARAPHRASES = [
    ("when do we get paid?", "¿Cuándo es el día de pago?"),
    ("where do i find my payslip?", "¿Cómo consulto mis recibos de nómina?"),
    ("how many days off do i get?", "¿Cuántos días de vacaciones tengo?"),
    ("how do i ask for vacation days?", "¿Cómo solicito vacaciones?"),
    ("what's the schedule? a q hora salgo", "¿Cuál es el horario de trabajo?"),
    ("can i work from home?", "¿Puedo trabajar desde casa?"),
    ("when do i get my laptop?", "¿Cuándo recibo mi laptop?"),
    ("how do i get access to my email?", "¿Cómo obtengo acceso a mi correo y a las herramientas?"),
    ("who do i ask for IT support?", "¿A quién le pido ayuda con problemas de TI?"),
    ("what are the benefits?", "¿Qué prestaciones tengo?"),
    ("how do i add my kids to the insurance?", "¿Cómo doy de alta a mis beneficiarios del seguro?"),
    ("what paperwork do i need to bring?", "¿Qué documentos debo entregar?"),
    ("when does my probation end?", "¿Cuándo termina mi periodo de prueba?"),
    ("who is my onboarding buddy?", "¿Quién es mi buddy de onboarding?"),
    ("i'm sick today, what do i do?", "¿Cómo reporto una incapacidad?"),
    ("what's the dress code?", "¿Hay código de vestimenta?"),
    ("how do i get reimbursed for expenses?", "¿Cómo pido un reembolso de gastos?"),
    ("which training is mandatory?", "¿Qué cursos de capacitación debo tomar?"),
    ("where is the office?", "¿Dónde está la oficina?"),
    ("do i get parking?", "¿Tengo estacionamiento?"),
    ("how does the savings fund work?", "¿Cómo funciona el fondo de ahorro?"),
    ("i have an issue with my boss, who do i talk to?", "¿Con quién hablo si tengo un problema con mi líder?"),
    ("when are performance reviews?", "¿Cuándo es la evaluación de desempeño?"),
    ("can i refer someone for a job opening?", "¿Puedo referir a un candidato?"),
    ("what are the holidays this year?", "¿Qué días son festivos?"),
    ("el deposito de la quincena cae en viernes?", "¿Cuándo es el día de pago?"),
    ("ocupo un comprobante de nomina, de donde lo saco", "¿Cómo consulto mis recibos de nómina?"),
    ("cuantas vacas me dan al año?", "¿Cuántos días de vacaciones tengo?"),
    ("hasta que hora se trabaja?", "¿Cuál es el horario de trabajo?"),
    ("me mandan la compu a mi casa?", "¿Cuándo recibo mi laptop?"),
    ("ademas del sueldo que me dan?", "¿Qué prestaciones tengo?"),
    ("puedo ir en playera?", "¿Hay código de vestimenta?"),
    ("hay cajones para los empleados?", "¿Tengo estacionamiento?"),
]


@pytest.mark.parametrize(("message", "question"), HR_ENGLISH_MIXED_PARAPHRASES)
def test_it_matches_an_english_mixed_paraphrase_to_its_hr_faq(shared_dir, message, question):
    index = index_of(shared_dir / "data" / "hr_onboarding_faqs.csv")
    assert confident_question(index, message) == question


# --- Other words for documents, sick leave, expenses, IT hours and reviews --------------------

HR_DOCUMENTS = "¿Qué documentos debo entregar?"
HR_SICK_LEAVE = "¿Cómo reporto una incapacidad?"
HR_EXPENSES = "¿Cómo pido un reembolso de gastos?"
HR_IT_HELP = "¿A quién le pido ayuda con problemas de TI?"
HR_REVIEW = "¿Cuándo es la evaluación de desempeño?"
HR_PROBATION = "¿Cuándo termina mi periodo de prueba?"

HR_OTHER_WORDS_PARAPHRASES = [
    ("oigan y q docs les mando?", HR_DOCUMENTS),
    ("cuanto papeleo piden pa entrar?", HR_DOCUMENTS),
    ("q papeles ocupo para que me den de alta", HR_DOCUMENTS),
    ("que les tengo que llevar el primer dia?", HR_DOCUMENTS),
    ("que debo mandarles antes de empezar?", HR_DOCUMENTS),
    ("hola! que tengo que subir al portal antes de mi ingreso", HR_DOCUMENTS),
    ("me siento malito con calentura, me dieron incapacidad en el imss, a quien se la paso?", HR_SICK_LEAVE),
    ("estuve en urgencias toda la noche, como justifico que no fui?", HR_SICK_LEAVE),
    ("ando con tos y fui a la clinica, donde subo el papel del doctor?", HR_SICK_LEAVE),
    ("me dio gripa y me dieron reposo, cuanto tiempo tengo pa entregar la incapacidad", HR_SICK_LEAVE),
    ("donde capturo los gastos de la visita a cliente?", HR_EXPENSES),
    ("hasta cuantos dias tengo para comprobar mis viaticos", HR_EXPENSES),
    ("traigo unas facturas del viaje a monterrey, como las cargo?", HR_EXPENSES),
    ("como registro los tickets de mis gastos de viaje", HR_EXPENSES),
    ("a que horas atienden los de soporte?", HR_IT_HELP),
    ("la mesa de ayuda abre en sabado?", HR_IT_HELP),
    ("hasta que hora me pueden ayudar los de sistemas?", HR_IT_HELP),
    ("en que horario contestan en soporte tecnico", HR_IT_HELP),
    ("cuando me toca mi evaluacion de desempeño?", HR_REVIEW),
    ("cada cuanto tiempo revisan el desempeño", HR_REVIEW),
    ("en q mes es la autoevaluacion?", HR_REVIEW),
    ("a los cuantos meses califican mi desempeño?", HR_REVIEW),
    ("cuanto tiempo dura el contrato temporal?", HR_PROBATION),
    ("cuanto tiempo estoy a prueba?", HR_PROBATION),
    ("en cuanto tiempo me dan la planta?", HR_PROBATION),
]


@pytest.mark.parametrize(("message", "question"), HR_OTHER_WORDS_PARAPHRASES)
def test_it_matches_a_paraphrase_in_other_words_to_its_hr_faq(shared_dir, message, question):
    index = index_of(shared_dir / "data" / "hr_onboarding_faqs.csv")
    assert confident_question(index, message) == question


HR_WHATSAPP_PARAPHRASES = [
    ("oye cada cuando nos depositan la nomina?", "¿Cuándo es el día de pago?"),
    ("el pago es quincenal o mensual?", "¿Cuándo es el día de pago?"),
    ("de donde bajo mis recibos de nomina?", "¿Cómo consulto mis recibos de nómina?"),
    ("ocupo un comprobante de ingresos pa un credito, donde lo saco", "¿Cómo consulto mis recibos de nómina?"),
    ("cuantos dias de vacas me tocan el primer año?", "¿Cuántos días de vacaciones tengo?"),
    ("con cuantos dias de descanso cuento al año", "¿Cuántos días de vacaciones tengo?"),
    ("como le hago pa pedir mis vacaciones?", "¿Cómo solicito vacaciones?"),
    ("quiero apartar unos dias de vacaciones en semana santa, donde los pido?", "¿Cómo solicito vacaciones?"),
    ("de que hora a que hora es la jornada?", "¿Cuál es el horario de trabajo?"),
    ("a q hora salimos los viernes?", "¿Cuál es el horario de trabajo?"),
    ("se puede hacer home office algunos dias?", "¿Puedo trabajar desde casa?"),
    ("cuantos dias hay que ir a la ofi a la semana?", "¿Puedo trabajar desde casa?"),
    ("cuando me entregan la compu?", "¿Cuándo recibo mi laptop?"),
    ("me van a mandar la laptop a mi casa?", "¿Cuándo recibo mi laptop?"),
    ("todavia no tengo mi usuario del correo", "¿Cómo obtengo acceso a mi correo y a las herramientas?"),
    ("como entro al slack el primer dia?", "¿Cómo obtengo acceso a mi correo y a las herramientas?"),
    ("que prestaciones me dan aparte del sueldo?", "¿Qué prestaciones tengo?"),
    ("dan vales de despensa y aguinaldo?", "¿Qué prestaciones tengo?"),
    ("como meto a mis hijos al seguro de gastos medicos?", "¿Cómo doy de alta a mis beneficiarios del seguro?"),
    ("quiero registrar a mi esposa como beneficiaria", "¿Cómo doy de alta a mis beneficiarios del seguro?"),
    ("quien me va a guiar mis primeras semanas?", "¿Quién es mi buddy de onboarding?"),
    ("me asignan un mentor cuando entro?", "¿Quién es mi buddy de onboarding?"),
    ("se vale ir en tenis y jeans?", "¿Hay código de vestimenta?"),
    ("hay que ir formal o casual?", "¿Hay código de vestimenta?"),
    ("que cursos son obligatorios la primera semana?", "¿Qué cursos de capacitación debo tomar?"),
    ("tengo que tomar alguna capacitacion?", "¿Qué cursos de capacitación debo tomar?"),
    ("en que calle queda la oficina?", "¿Dónde está la oficina?"),
    ("cual es la direccion del corporativo?", "¿Dónde está la oficina?"),
    ("hay lugar pa estacionar el carro?", "¿Tengo estacionamiento?"),
    ("como le hago pa tener cajon?", "¿Tengo estacionamiento?"),
    ("cuanto aporta la empresa al fondo de ahorro?", "¿Cómo funciona el fondo de ahorro?"),
    ("cuando se entrega el fondo de ahorro", "¿Cómo funciona el fondo de ahorro?"),
    ("tengo un pleito con mi jefe, a quien acudo?", "¿Con quién hablo si tengo un problema con mi líder?"),
    ("mi supervisora me hostiga, con quien me quejo", "¿Con quién hablo si tengo un problema con mi líder?"),
    ("mi cuate busca chamba, lo puedo recomendar?", "¿Puedo referir a un candidato?"),
    ("hay bono si refiero a alguien?", "¿Puedo referir a un candidato?"),
    ("el 24 de diciembre se trabaja?", "¿Qué días son festivos?"),
    ("cuales son los dias de asueto?", "¿Qué días son festivos?"),
]


@pytest.mark.parametrize(("message", "question"), HR_WHATSAPP_PARAPHRASES)
def test_it_matches_a_whatsapp_style_paraphrase_to_its_hr_faq(shared_dir, message, question):
    index = index_of(shared_dir / "data" / "hr_onboarding_faqs.csv")
    assert confident_question(index, message) == question


@pytest.mark.parametrize(
    "message",
    [
        "cuanto tiempo tarda en llegar un uber a la ofi?",
        "a que hora cierra el oxxo de abajo?",
        "cuanto tiempo tengo?",
        "cuanto tiempo tengo para contestar la encuesta?",
        "fui al super y no habia nada",
    ],
)
def test_it_is_not_confident_about_everyday_chat_near_hr_topics(shared_dir, message):
    assert confident_question(index_of(shared_dir / "data" / "hr_onboarding_faqs.csv"), message) is None


PROBATION_FAQ = FaqEntry(
    id=1, question="¿Cuándo termina mi periodo de prueba?", answer="Dura 3 meses y cierra con evaluación."
)
EXPENSES_FAQ = FaqEntry(id=2, question="¿Cómo pido un reembolso de gastos?", answer="Captura tus gastos en 30 días.")
REVIEW_FAQ = FaqEntry(id=3, question="¿Cuándo es la evaluación de desempeño?", answer="En junio y diciembre.")


def test_it_does_not_take_a_deadline_question_for_the_probation_faq():
    index = FaqIndex.build([PROBATION_FAQ, EXPENSES_FAQ])
    assert confident_question(index, "¿cuánto tiempo me dan para cargar mis facturas?") == EXPENSES_FAQ.question


def test_it_takes_a_duration_question_naming_the_trial_period_for_the_probation_faq():
    index = FaqIndex.build([PROBATION_FAQ, EXPENSES_FAQ])
    assert confident_question(index, "¿cuánto tiempo dura la prueba?") == PROBATION_FAQ.question


def test_it_weighs_performance_above_an_evaluation_mentioned_in_another_answer():
    index = FaqIndex.build([PROBATION_FAQ, REVIEW_FAQ])
    assert confident_question(index, "¿en qué meses nos evalúan el desempeño?") == REVIEW_FAQ.question


def test_it_reads_going_to_the_imss_clinic_as_sick_leave():
    assert terms_of("fui al seguro") == terms_of("incapacidad")


ONBOARDING_NON_FAQ_TURNS = [
    "hola, buenos dias!",
    "gracias, eso es todo",
    "what time is it?",
    "can you help me?",
    "is there a gym?",
    "me recomiendas una serie?",
    "quien gano el clasico?",
    "cual es tu nombre?",
    "quiero hablar con alguien de RH",
]


@pytest.mark.parametrize("message", ONBOARDING_NON_FAQ_TURNS)
def test_it_is_not_confident_about_small_talk_in_onboarding(message):
    assert confident_question(index_of(DEMO / "faqs_blinky.csv"), message) is None


@pytest.mark.parametrize("message", ONBOARDING_NON_FAQ_TURNS)
def test_it_is_not_confident_about_small_talk_in_the_hr_sample(shared_dir, message):
    assert confident_question(index_of(shared_dir / "data" / "hr_onboarding_faqs.csv"), message) is None


# --- Reading a message ---------------------------------------------------------------


def test_it_reads_the_longest_phrase_even_when_a_shorter_one_starts_first():
    assert ("meses sin intereses", ["#forma_pago"]) in analyse("lo pago a meses sin intereses")


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("payroll", "nómina"),
        ("holidays", "festivos"),
        ("vacation", "vacaciones"),
        ("benefits", "prestaciones"),
        ("office", "oficina"),
        ("parking", "estacionamiento"),
        ("dress code", "vestimenta"),
        ("training", "capacitación"),
        ("manager", "jefe"),
        ("password", "contraseña"),
        ("email", "correo"),
    ],
)
def test_it_reads_an_english_word_as_its_spanish_concept(english, spanish):
    assert terms_of(english) == terms_of(spanish)


def test_it_ignores_english_filler_words():
    assert terms_of("what about the laptop? when do I get it") == terms_of("laptop")


# --- Matching on the topic --------------------------------------------------------------

INSURANCE_FAQ = FaqEntry(id=1, question="¿Me ayudan con el seguro del auto?", answer="Sí, te lo cotizamos.")
PLATES_FAQ = FaqEntry(id=2, question="¿Me ayudan con las placas?", answer="Sí, hacemos el trámite.")


def test_it_does_not_match_a_faq_on_a_generic_verb_alone():
    assert confident_question(FaqIndex.build([INSURANCE_FAQ, PLATES_FAQ]), "¿en qué más me ayudan?") is None


def test_it_matches_the_faq_whose_topic_the_message_names():
    index = FaqIndex.build([INSURANCE_FAQ, PLATES_FAQ])
    assert confident_question(index, "¿me ayudan a emplacarlo?") == PLATES_FAQ.question


def test_it_does_not_take_a_monthly_payment_question_for_a_credit_faq():
    credit_faq = FaqEntry(id=1, question="¿Qué requisitos piden para el crédito?", answer="INE y comprobantes.")
    assert confident_question(FaqIndex.build([credit_faq, INSURANCE_FAQ]), "¿y cuánto queda al mes?") is None


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



# --- Meaning (nlu/sentences.py) ----------------------------------------------------------

MINE = [
    FaqEntry(1, "¿Cómo obtengo mi gafete de acceso?", "Lo entrega Seguridad el primer día; si lo pierdes, repórtalo."),
    FaqEntry(2, "¿En qué fechas se deposita el salario?", "Los días 15 y último de cada mes, en tu cuenta de nómina."),
    FaqEntry(3, "¿Cuál es el procedimiento para solicitar vacaciones?", "En el portal, con 15 días de anticipación."),
]


@lru_cache
def with_meaning() -> FaqIndex:
    return FaqIndex.build(MINE, meaning=sentences.encoder())


def test_it_ranks_by_meaning_a_paraphrase_whose_words_point_at_another_faq():
    message = "me voy de viaje con mi familia en julio, cómo reservo los días"
    assert FaqIndex.build(MINE).best(message).id == 2
    assert with_meaning().best(message).id == 3


def test_it_reads_a_follow_up_with_the_words_of_the_question_in_focus():
    alone = with_meaning().best("¿con cuánta anticipación?")
    in_context = with_meaning().best("¿con cuánta anticipación?", context=MINE[2].question)
    assert alone.score < CONFIDENCE_THRESHOLD <= in_context.score
    assert in_context.id == 3
