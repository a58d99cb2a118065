"""Intent classification: which of the contract's 12 intents a turn is.

Rules over the normalised text (accents stripped, abbreviations expanded), helped by
what the lower layers found (slots, catalog mentions, the best FAQ) and by the
dialogue context (a vehicle in focus, the last intent). Each cue adds weight to an
intent; the heaviest wins. Cues are about how people ask, never about one sentence.
"""

import re
from dataclasses import dataclass, field

INTENTS = (
    "greet",
    "goodbye",
    "help",
    "value_proposition",
    "locations",
    "search_vehicles",
    "vehicle_details",
    "financing",
    "create_lead",
    "faq",
    "human_handoff",
    "out_of_scope",
)
SALES_ONLY = frozenset({"search_vehicles", "vehicle_details", "financing", "create_lead"})


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


PERSON = r"(?:persona|alguien|humano|asesor|asesora|agente|ejecutivo|ejecutiva|vendedor|vendedora|gerente|encargado|operador|representante|individuo de carne)"
HANDOFF = _rx(
    rf"\b(?:hablar|platicar|comunicar(?:me)?|contactar(?:me)?|chatear|conversar)\b.{{0,30}}\b(?:con|a)\b.{{0,25}}\b{PERSON}",
    r"\b(?:pasa|pasame|pasen|pasenme|comunica|comunicame|comuniquenme|conecta|conectame|transfiere|transfiereme|canaliza|canalizame|contacta|contactame|contacten|contactenme)\b.{0,30}\b(?:con|a)\b",
    rf"\bme (?:pasas|comunicas|conectas|transfieres|canalizas|pueden pasar|puedes pasar|pueden comunicar|puedes comunicar)\b.{{0,20}}\b(?:con|a)\b.{{0,15}}\b{PERSON}",
    rf"\b(?:quiero|necesito|ocupo|prefiero|dame|deme|busco)\b.{{0,20}}\b(?:un|una|a|al|el|la|con)?\s*{PERSON}",
    r"\b(?:persona|asesor|humano|agente) (?:real|de verdad|humano|de carne)\b",
    r"\bno (?:quiero|me sirve) (?:hablar con )?(?:un |una )?(?:bot|robot|maquina)\b",
    r"\b(?:alguien|persona) (?:de|en) (?:rh|recursos humanos|ventas|atencion)\b",
    r"\b(?:me (?:atienda|llame|marque|hable) (?:alguien|una persona|un asesor))\b",
    r"\bque me (?:llamen|marquen|hablen|contacten)\b",
    r"\bme (?:pueden|podrian|puedes|podrias) (?:llamar|marcar|contactar|hablar por telefono)\b",
    r"\b(?:llamenme|marquenme|hablenme|contactenme|llamame|marcame)\b",
    # Privacy requests go to a person, who can run forget_customer.
    r"\b(?:dar de baja|darme de baja|borrar|borren|borrame|eliminar|eliminen|elimina) (?:mis|mi) (?:datos|informacion|numero|telefono|mensajes|conversacion)\b",
    r"\b(?:alguien|persona|gente) de carne y hueso\b",
    r"\b(?:hay|tienen|existe) (?:alguien|alguna persona|un humano|una persona)\b.{0,30}\b(?:hablar|atienda|atender|platicar)\b",
    r"\b(?:talk|speak|chat) (?:to|with) (?:a |an |some)?(?:real )?(?:person|human|agent|someone|representative|salesperson)\b",
    r"\b(?:real person|human agent|live agent)\b",
)
LEAD = _rx(
    r"\b(?:lo|la) (?:quiero|compro|apartas|aparto|separo|tomo|llevo)\b",
    r"\bme (?:lo|la) (?:llevo|quedo|aparta|apartas|apartan|separas|separan|vendes|venden)\b",
    r"\b(?:quiero|quisiera|me gustaria|deseo) (?:apartar|separar|comprar|reservar|adquirir|agendar)(?:lo|la)?\b.{0,20}$",
    r"\b(?:quiero|quisiera|me gustaria|deseo) (?:ver|probar|manejar)(?:lo|la)\b",
    r"\b(?:apartar|apartarlo|apartarla|apartalo|apartamelo|apartamela|separarlo|separarla|reservarlo|reservarla|comprarlo|comprarla)\b",
    r"\b(?:agenda|agendame|agendar|agendamos|programar|programame|reservar|apartar) (?:una |la )?(?:cita|visita|prueba)\b",
    r"\b(?:cita|visita|prueba de manejo|test drive)\b",
    r"\b(?:ir a verlo|ir a verla|pasar a verlo|pasar a verla|verlo en persona|verla en persona)\b",
    r"\b(?:lo|la) (?:puedo|podemos|podria) (?:ir a |pasar a )?(?:ver|probar|manejar)\b",
    r"\bcuando (?:puedo|podria) (?:ir|pasar) a (?:verlo|verla|ver)\b",
    r"\bcomo (?:le )?(?:hago|hacemos|le hacemos) (?:para|pa) (?:verlo|verla|apartarlo|apartarla|comprarlo|comprarla|probarlo|probarla|llevarmelo|llevarmela)\b",
    r"\b(?:como|donde) (?:lo|la) (?:compro|aparto|pago)\b",
    r"\b(?:me interesa (?:comprarlo|comprarla|apartarlo|apartarla))\b",
    r"\b(?:trato hecho|cerramos trato|me decidi|lo voy a comprar|la voy a comprar)\b",
)
FINANCING = _rx(
    r"\b(?:mensualidad|mensualidades|mensual|mensuales|mensualmente|al mes|por mes|cada mes|pagos?|abonos?)\b",
    r"\b(?:enganche|anticipo|pago inicial)\b",
    r"\b(?:credito|financiamiento|financiar|financiado|financian|financias|plazos?|a meses(?! sin intereses))\b",
    r"\b(?:tasa|tasas|interes|intereses(?! sin)|cat|anualidad|pagos? anticipados?|pagar antes|adelantar pagos|liquidar antes)\b",
    r"\b(?:cuanto|como) (?:quedaria|queda|quedan|saldria|sale|sería|seria|pagaria|pago|me sale|me queda)\b",
    r"\b\d+ (?:meses|anos)\b",
    r"\b(?:sin enganche)\b",
    r"\b(?:down ?payment|monthly|per month|a month|installments?|loan)\b",
    r"\b(?:con lo mismo|mismas condiciones|mismo plan|mismo enganche|mismo plazo)\b",
)
DETAIL_ATTRIBUTES = {
    "year": r"\b(?:que|de que|cual es (?:el|su)) (?:ano|modelo)\b|\bano (?:es|tiene)\b|\bde que ano\b",
    "km": r"\b(?:km|kms|kilometros|kilometraje|millaje|recorrido|kilometrajes)\b",
    "version": r"\b(?:version|versiones|equipamiento|paquete|4x4|4x2|4wd|awd|traccion|turbo|diesel|hibrido|hibrida|electrico)\b",
    "price": r"\b(?:cuanto (?:cuesta|vale|sale|esta|cobran)|precio|en cuanto (?:esta|lo dejan|sale)|costo)\b",
    "car_play": r"\b(?:car ?play|carplay|apple car|android auto)\b",
    "bluetooth": r"\b(?:bluetooth|blutut|bluetoth|blu tooth)\b",
    "dimensions": r"\b(?:largo|ancho|alto|altura|medidas|mide|tamano|dimensiones)\b",
    "body_type": r"\b(?:que tipo de (?:carro|auto|coche|carroceria)|carroceria)\b",
    "features": r"\b(?:que (?:trae|tiene|incluye)|equipado|caracteristicas|ficha tecnica|detalles|mas informacion|mas info)\b",
    "availability": r"\b(?:(?:esta|sigue|estara|aun esta|todavia esta) disponible|sigue a la venta|lo siguen teniendo|aun lo tienen|todavia lo tienen|ya se vendio|ya lo vendieron|esta apartado)\b",
    "unknown_fact": r"\b(?:fotos?|imagen|imagenes|color|colores|duenos|dueno|propietarios|choques?|chocado|accidentes?|servicios|mantenimientos?|llantas|rendimiento|consumo|gasolina|motor|cilindros|caballos|pasajeros|asientos|cajuela|seguro incluido"
    r"|camara|reversa|sensores?|quemacocos|techo panoramico|pantalla|gps|navegador|navegacion|rines|aire acondicionado|clima|vestiduras|piel|puertas|bolsas de aire|airbags?|frenos|control crucero|crucero|faros|estereo|bocinas|factura|tenencia|verificacion|placas)\b",
    "transmission": r"\b(?:automatico|automatica|estandar|manual|transmision|caja|cvt|de velocidades)\b",
}
DETAIL_PATTERNS = {name: re.compile(pattern) for name, pattern in DETAIL_ATTRIBUTES.items()}
VEHICLE_WORDS = r"carros?|autos?|coches?|naves?|vehiculos?|camionetas?|trocas?|carritos?|autitos?"
SEARCH = _rx(
    r"\b(?:tienen|tienes|tendran|tendras|manejan|manejas|venden|vendes|hay|habra|cuentan con|ofrecen)\b",
    r"\b(?:busco|buscando|buscar|quiero|quisiera|necesito|ocupo|me interesa|me gustaria|ando buscando|estoy buscando|ver)\b.{0,25}\b(?:carros?|autos?|coches?|naves?|trocas?|camionetas?|vehiculos?|unidad(?:es)?|algo|uno|una|modelos?|seminuevos?|usados?|opciones)\b",
    r"\b(?:que|cuales|cuantos) (?:carros|autos|coches|vehiculos|modelos|opciones|camionetas|unidades)\b",
    r"\b(?:muestrame|ensename|recomiendame|sugiereme|mandame|pasame) (?:los|las|algun|alguna|opciones|carros|autos|algo|que)\b",
    r"\b(?:opciones|catalogo|inventario|disponibles)\b",
    rf"\b(?:{VEHICLE_WORDS})\b",
    r"\b(?:pick ?ups|suvs|sedanes|sedans|hatchbacks|minivans|vans|deportivos|compactos)\b",
    r"\b(?:do you (?:have|sell)|looking for|i (?:want|need|am looking for)|show me)\b.{0,30}\b(?:cars?|vehicles?|suvs?|trucks?|pickups?|sedans?)\b",
    r"\b(?:cheap|used|affordable) (?:cars?|vehicles?|suvs?|trucks?)\b",
    r"\b(?:algo|alguno|alguna|uno|una) (?:de|del|entre|con|economico|barato|familiar|de lujo|que)\b",
    r"\b(?:algo|alguno|alguna|otro|otra|otros|otras|uno|una) mas (?:barat[oa]s?|economic[oa]s?|accesibles?|nuev[oa]s?|recientes?|grandes?|chic[oa]s?|pequen[oa]s?)\b",
    r"\bque (?:me|nos) alcanza\b|\bpara que (?:me|nos) alcanza\b",
    r"\b(?:que|cual|cuales) (?:me|nos) (?:recomiendas|recomienda|recomiendan|sugieres|sugiere)\b",
    r"\b(?:cual es|cuales son) (?:el|la|los|las) mas (?:barat[oa]s?|economic[oa]s?|accesibles?)\b",
)
CAR_NOUN = re.compile(rf"\b(?:{VEHICLE_WORDS}|seminuevos?|usados?|sedan(?:es)?|suvs?|pick ?ups?)\b")
FAQ_QUESTION = _rx(
    r"\b(?:como|cuando|cuanto|cuantos|cuantas|donde|que|quien|cual|puedo|se puede|hay|tengo|tienen|dan|debo|me toca|me tocan)\b",
)
HELP = _rx(
    r"\b(?:que|en que|como|con que) (?:puedes|podrias|me puedes|me podrias|sabes) (?:hacer|ayudar(?:me)?|apoyar(?:me)?)\b",
    r"\b(?:en que|con que) me (?:ayudas|puedes ayudar|apoyas|ayudarias)\b",
    r"\bque (?:cosas )?(?:puedo|le puedo|te puedo) (?:preguntar|preguntarte|pedir|pedirte|hacer)\b",
    r"\b(?:como funciona(?:s)? (?:esto|esta cosa|el bot|este chat|este servicio)?|como te uso|como se usa)\b",
    r"^(?:ayuda|help|menu|opciones|instrucciones)$",
    r"\b(?:que haces|para que sirves|quien eres|que eres|como funcionas)\b",
    r"\bnecesito ayuda\b",
    r"\bque (?:servicios|cosas|opciones) (?:ofrecen|ofreces|tienen|manejan|das|dan|haces)\b",
    r"\bque (?:me )?(?:puedes|podrias|sabes) (?:resolver|contestar|responder|hacer)\b",
    r"\b(?:what can you do|how does this work|help me)\b",
    r"\bpara que (?:me )?(?:sirves|sirve esto|te uso|estas)\b",
    r"\bque (?:cosas |temas )?(?:sabes|conoces|manejas)(?: hacer| responder| contestar)?$",
    r"\b(?:sobre que|de que) (?:temas )?(?:te puedo preguntar|puedo preguntarte|sabes)\b",
)
VALUE = _rx(
    r"\bpor ?que (?:me conviene|deberia|debo|conviene|comprar|elegir|escoger|les compraria|confiar|trabajar|elegirlos|comprarles)\b",
    r"\b(?:que|cuales) (?:ventajas|beneficios|diferencia|garantias) (?:tienen|ofrecen|hay|me dan)\b.{0,30}\b(?:ustedes|con ustedes|comprar|aqui)\b",
    r"\b(?:que los hace|que tienen de) (?:diferentes|especial|bueno|mejor)\b",
    r"\bque tiene de (?:bueno|especial|padre) (?:trabajar|estar|la empresa)\b",
    r"\b(?:son|es) (?:confiables?|seguros?) (?:ustedes|comprar)\b",
    r"^(?:y |oye |pero )?(?:son|ustedes son) (?:confiables?|de fiar|seguros?|serios?)\b",
    r"\b(?:ventajas?|beneficios?)\b.{0,25}\bcomprar (?:con|aqui|en|les)\b",
    r"\bpor ?que (?:ustedes|con ustedes|aqui)\b",
    r"\b(?:ventajas|beneficios) de (?:comprar|trabajar)\b",
    r"\b(?:cultura|mision|valores) de la empresa\b",
    r"\b(?:ventajas?|beneficios?|diferencias?)\b.{0,30}\b(?:comprar con ustedes|con ustedes|comprarles|aqui|de ustedes|les compro|compro con ustedes)\b",
    r"\b(?:buena|buen|mejor) (?:empresa|lugar|chamba|trabajo) (?:para|donde) trabajar\b",
    r"\b(?:que|como) (?:me ofrece|ofrece|ofrecen) (?:la empresa |ustedes )?(?:para )?(?:crecer|crecimiento|desarrollarme|mi desarrollo)\b",
    r"\b(?:plan de carrera|crecimiento profesional|crecer (?:aqui|en la empresa|profesionalmente))\b",
    r"\bpor ?que (?:dicen que|se dice que)\b.{0,30}\b(?:buena|buen|mejor)\b",
    r"\bpor ?que (?:les compraria|comprarles|elegirlos|escogerlos|preferirlos)\b",
    r"\bpor ?que (?:es|seria) (?:bueno|buena idea|mejor|padre|chido) (?:trabajar|comprar|estar)\b",
)
LOCATIONS = _rx(
    r"\bdonde (?:estan|esta|tienen|quedan|queda|se ubican|se encuentran|los encuentro|puedo ir|los veo|los visito|hay)\b",
    r"\b(?:sucursal|sucursales|ubicacion|ubicaciones|ubicados|direccion|domicilio|agencia|agencias|tienda|tiendas|showroom|oficinas)\b",
    r"\b(?:pagina|sitio|pagina web|sitio web|web|website|url|internet|redes sociales)\b",
    r"\b(?:tienen|hay) (?:algo|alguna sucursal|sucursal) (?:en|cerca)\b",
    r"\b(?:a que hora|que hora|horario|horarios) (?:abren|cierran|atienden|de atencion|de servicio|tienen)\b",
    r"\b(?:abren|estan abiertos|atienden) (?:el|los|en) (?:sabado|domingo|fin de semana|dias festivos)",
    r"\b(?:en )?(?:que|cuales) (?:ciudades|estados|partes|zonas|lugares)\b",
    r"\b(?:donde mas|tienen presencia|hay sucursal|cerca de mi|mas cercan[oa])\b",
)
GOODBYE = _rx(
    r"\b(?:adios|bye|bay|bai|chao|chau|hasta luego|hasta pronto|hasta manana|nos vemos|nos vidrios|me despido|cuidate|sale bye)\b",
    r"\b(?:es todo|seria todo|eso es todo|eso seria todo|seria todo|nada mas|ya no|ya es todo|no gracias|listo gracias)\b",
    r"\b(?:luego te escribo|luego les escribo|despues te escribo|luego te hablo|luego regreso|lo pienso|lo voy a pensar|lo checo y te aviso)\b",
    r"^(?:(?:ok|okay|va|vale|sale|perfecto|listo|excelente|genial|super|bien|muy bien|orale|de acuerdo|entendido|muchas|mil|bueno|ah|oki|okis|ya|que bien|chido|padre)\s*)*(?:gracias|grax|thanks|thank you|thx)\b(?: (?:por todo|por tu ayuda|por la ayuda|por la informacion|mil|muchas|de todos modos|igual|carnal|compa|amigo|amiga|hermano|bro|joven|senorita|crack|ahi luego|ahi nos vemos|nos vemos|bye|adios|hasta luego|luego|que tengas buen dia|buen dia|buena tarde|buenas noches))*$",
    r"\b(?:ahi (?:luego|nos vemos|nos vidrios|le vemos)|al rato te escribo|te aviso|luego vemos|ya me voy|me tengo que ir|es todo por ahora|por ahora es todo|see you|good ?bye)\b",
    r"\b(?:era todo|fue todo|seria todo|con eso es todo|con eso me quedo|ya quedo|ya quede|ya con eso|eso era todo)\b",
)
ACKNOWLEDGEMENT_WORDS = frozenset(
    "ok okay oki okis va vale sale perfecto listo excelente genial super bien muy muchas muchisimas mil "
    "orale de acuerdo entendido bueno ah ya que chido padre gracias grax thanks thank you thx bye adios "
    "carnal compa amigo amiga hermano bro joven crack igualmente tambien por todo tu la ayuda informacion "
    "eres lo maximo amable buena onda chida chidisimo neta buenisimo buenisima kvky blinky bot".split()
)
GREET = _rx(
    r"^(?:hola|holi|holis|ola|hello|hi|hey|buenas|buenos dias|buenas tardes|buenas noches|buen dia|que onda|que tal|quiubo|quihubo|saludos|que hubo|que pedo|alo)\b",
    r"\b(?:hola|buenos dias|buenas tardes|buenas noches|buen dia|que onda|que tal)\b",
)
INJECTION = _rx(
    r"\b(?:ignora|olvida|ignore|forget|omite|desobedece)\b.{0,40}\b(?:instrucciones|reglas|prompt|instructions|rules|anteriores|previous|indicaciones|programacion)\b",
    r"\b(?:system (?:override|prompt)|modo (?:desarrollador|dios|admin|administrador)|developer mode|jailbreak|dan mode|sin restricciones|without restrictions|no restrictions)\b",
    r"\b(?:a partir de ahora|desde ahora|ahora) (?:eres|seras|actua como|actuas como|te comportas como)\b",
    r"\b(?:you are now|act as|pretend (?:to be|you are))\b",
    r"\b(?:revela|muestra|dime|ensename|imprime)\b.{0,20}\b(?:tus instrucciones|tu prompt|el prompt|system prompt|tu configuracion)\b",
    r"\b(?:apruebame|aprueba mi credito|regalame|dame (?:el|la|un|una) .{0,20}gratis|al 0 ?%|tasa (?:de )?0)\b",
)
OUT_OF_SCOPE = _rx(
    r"\b(?:partido|futbol|clasico|america|chivas|pumas|liga|mundial|dolar|clima|tiempo hace|llover|noticias|presidente|elecciones|receta|pizza|pizzeria|restaurante|tacos|pelicula|serie de netflix|chiste|tarea|novia|novio|horoscopo|bitcoin|cripto|lotto|loteria)\b",
    r"\b(?:ignora|olvida|ignore|forget)\b.{0,40}\b(?:instrucciones|reglas|prompt|instructions|rules|anteriores|previous)\b",
    r"\b(?:eres (?:un )?(?:bot|robot|ia|chatgpt)|system prompt|modo desarrollador|developer mode|jailbreak)\b",
)
ANGRY = _rx(
    r"\bno (?:sirves|sirve|entiendes|entiende|ayudas|me ayudas|me entiendes|funciona|funcionas)\b",
    r"\b(?:que mal(?:o)? servicio|pesimo|pesima|horrible|inutil|malisimo|terrible|basura|estupido|tonto|idiota|tarado|chafa|me tienes harto|estoy harto|ya me harte|que coraje|no manches ya)\b",
    r"\b(?:servicio de porqueria|una porqueria|no sirve para nada|que asco)\b",
)
AFFIRM = re.compile(
    r"^(?:si|sip|simon|claro|por favor|va|sale|ok|okay|orale|dale|de acuerdo|esta bien|me parece|perfecto|adelante|porfa|si por favor|si porfa|si gracias|afirmativo|yes|yep|andale)\b"
)
DENY = re.compile(r"^(?:no|nop|nel|nah|no gracias|para nada|ahorita no|todavia no|aun no)\b")
CONTINUATION = re.compile(
    r"^(?:y|e|pero|mejor|entonces|ahora|ok y|va y|bueno y|oye y|y si|y que tal|que tal"
    r"|no|nel|perdon|perdona|disculpa|quise decir|me equivoque|corrijo|digo|mas bien|o sea|osea"
    r"|de esos|de esas|de ellos|de ellas|alguno|alguna|cual de|cuales de)\b"
)
# Dealer policy topics: questions about them are FAQs even when they name a car or a price.
POLICY_TOPIC = _rx(
    r"\b(?:a cuenta|a cambio|parte de pago|toman (?:mi|tu|autos|carros)|reciben (?:mi|autos|carros)|mi (?:carro|auto|coche|nave) actual)\b",
    r"\b(?:bajan|rebajan|descuento|descuentos|rebaja|negociable|negociables|regatear|ultimo precio|me lo dejan|precio fijo)\b",
    r"\b(?:que|cuales|q) (?:necesito|piden|requisitos|requieren|papeles|documentos)\b|\brequisitos\b",
    r"\b(?:meses sin intereses|msi|tarjeta de credito|formas? de pago|pagar (?:con|de) contado|efectivo|transferencia)\b",
    r"\b(?:garantia|garantias|devolucion|devolver|devuelvo|regresarlo|a domicilio|hasta mi casa|a mi casa|envio|envian|seguro|placas|tenencia|factura|cambio de propietario)\b",
)
POSSIBILITY_QUESTION = re.compile(
    r"^(?:y |oye |pero )?(?:puedo|se puede|pueden|podria|podrian|es posible|hay (?:manera|forma|chance|opcion))\b"
)
INTEREST = re.compile(
    r"\b(?:me interesa|me interesan|me gusto|me gusta|me llamo la atencion|quiero info|quisiera info|informes|info)\b"
)
FRESH_SEARCH = re.compile(
    r"\b(?:busco|buscando|quiero|quisiera|necesito|ocupo|tienen|tienes|tendran|hay|manejan|venden|muestrame|ensename|recomiendame)\b"
    r"|\bque (?:autos|carros|coches|camionetas|opciones|modelos|vehiculos)\b"
)
SAME_PLAN = re.compile(
    r"\b(?:con lo mismo|mismas condiciones|mismo plan|mismo enganche y plazo|igual que el otro|lo mismo)\b"
)
PRONOUN_REFERENCE = re.compile(r"\b(?:lo|la|ese|esa|este|esta|el mismo|la misma|ese carro|esa camioneta)\b")


@dataclass
class IntentFeatures:
    """What the lower layers and the context add to the text itself."""

    kind: str = "sales"
    slots: dict = field(default_factory=dict)
    has_vehicle_mention: bool = False
    unknown_make: bool = False
    faq_score: float = 0.0
    faq_threshold: float = 1.0
    has_focus: bool = False
    has_recent_results: bool = False
    has_faq_in_focus: bool = False
    picks_from_list: bool = False  # "el primero", "la más nueva" of the last list
    last_intent: str | None = None


@dataclass
class IntentScore:
    intent: str
    confidence: float
    attributes: tuple[str, ...] = ()
    angry: bool = False


FINANCING_SLOTS = ("term_months", "down_payment", "down_payment_pct")


MONTHLY = re.compile(r"\b(?:al mes|mensual|mensualidad|mensualidades|enganche|meses|anos|plazo|credito)\b")
CONSTRAINT_OF = {"km": "max_km", "price": "max_price", "year": "year_min"}
# Asking for something, as opposed to asking about something: with a filter stated, it is a search.
WANT = re.compile(
    r"\b(?:busco|buscando|buscamos|quiero|quisiera|queremos|necesito|necesitamos|ocupo|ocupamos|me interesa|me interesaria"
    r"|me gustaria|ando viendo|estoy viendo)\b"
)


def detail_attributes(text: str, slots: dict | None = None) -> tuple[str, ...]:
    """Vehicle attributes a message asks about; a figure it states as a filter is not a question."""
    found = [name for name, pattern in DETAIL_PATTERNS.items() if pattern.search(text)]
    if "price" in found and MONTHLY.search(text):
        found.remove("price")
    stated = slots or {}
    return tuple(name for name in found if CONSTRAINT_OF.get(name) not in stated)


def classify(text: str, features: IntentFeatures) -> IntentScore:
    """Score every intent and return the heaviest; `text` is normalised."""
    scores = dict.fromkeys(INTENTS, 0.0)
    attributes = detail_attributes(text, features.slots)
    angry = bool(ANGRY.search(text))
    _score_conversation_intents(text, scores)
    if features.kind == "sales":
        _score_sales_intents(text, features, attributes, scores)
    _score_faq(text, features, scores)
    _score_context(text, features, attributes, scores)
    if features.kind != "sales":
        for name in SALES_ONLY:
            scores[name] = 0.0
    intent, best = max(scores.items(), key=lambda item: item[1])
    if best < 1.0:
        intent = "out_of_scope"
    confidence = min(1.0, best / 4.0) if intent != "out_of_scope" else 0.5
    return IntentScore(intent=intent, confidence=confidence, attributes=attributes, angry=angry)


def _score_conversation_intents(text: str, scores: dict[str, float]) -> None:
    words = text.split()
    if HANDOFF.search(text):
        scores["human_handoff"] += 6
    if HELP.search(text):
        scores["help"] += 5.5
    if VALUE.search(text):
        scores["value_proposition"] += 5
    if LOCATIONS.search(text):
        scores["locations"] += 3.5
    if GOODBYE.search(text):
        scores["goodbye"] += 3.5 if len(words) <= 8 else 1.5
    elif _only_thanks(words):
        scores["goodbye"] += 3.5
    if GREET.search(text):
        scores["greet"] += 2.5 if len(words) <= 8 else 1.2
    if INTEREST.search(text):
        scores["vehicle_details"] += 0.1  # settled in the sales scoring, where the vehicle mention is known
    if OUT_OF_SCOPE.search(text):
        scores["out_of_scope"] += 4
    if INJECTION.search(text):
        scores["out_of_scope"] += 12  # instructions inside user text never steer the tools


THANKS_WORDS = frozenset({"gracias", "grax", "thanks", "thx", "graciaz", "grasias"})
QUESTION_WORDS = frozenset({"que", "como", "cuando", "donde", "cual", "cuales", "quien", "cuanto", "cuantos", "porque"})


def _only_thanks(words: list[str]) -> bool:
    """ "va, muchas gracias 🙏", "okas gracias": thanks with nothing asked closes the conversation."""
    if not words or len(words) > 8 or not any(word in THANKS_WORDS for word in words):
        return False
    if any(word in QUESTION_WORDS for word in words):
        return False
    unknown = [word for word in words if word not in ACKNOWLEDGEMENT_WORDS and word not in THANKS_WORDS]
    return not unknown or (len(unknown) == 1 and len(words) <= 4)  # one stray word: "okas gracias"


def _score_sales_intents(
    text: str, features: IntentFeatures, attributes: tuple[str, ...], scores: dict[str, float]
) -> None:
    slots = features.slots
    if LEAD.search(text):
        scores["create_lead"] += 5
    financing_slots = sum(1 for name in FINANCING_SLOTS if name in slots)
    if FINANCING.search(text):
        scores["financing"] += 3.5 + (1.5 if features.has_vehicle_mention else 0)  # "financiar una tiguan"
    scores["financing"] += 2.5 * financing_slots
    if SEARCH.search(text):
        scores["search_vehicles"] += 3
    constraints = _constraint_count(slots, named=features.has_vehicle_mention)
    scores["search_vehicles"] += 1.2 * constraints
    if constraints and features.last_intent in ("search_vehicles", "vehicle_details") and not financing_slots:
        scores["search_vehicles"] += 2  # "de esas, ¿cuáles son del 2023?" narrows the last list
    if features.unknown_make:
        scores["search_vehicles"] += 2.5
    about_a_vehicle = features.has_vehicle_mention or features.has_focus or features.has_recent_results
    if attributes and about_a_vehicle:
        scores["vehicle_details"] += 5 + 0.5 * len(attributes)
    elif attributes:
        scores["vehicle_details"] += 1.5
    if scores["help"] and (constraints or "max_monthly_payment" in slots or CAR_NOUN.search(text)):
        scores["help"] -= 3  # "¿qué opciones tienen para alguien que gana 15 mil?" asks for cars, not the menu
    if constraints and WANT.search(text) and not financing_slots:
        scores["search_vehicles"] += 1.5  # "busco un sedán automático": a wish with a filter
    if features.has_vehicle_mention and not (attributes or financing_slots):
        scores["search_vehicles"] += 1.5
        if INTEREST.search(text) and not constraints:
            scores["vehicle_details"] += 4  # "me interesa el audi a1": tell me about that car
    if features.has_vehicle_mention or _constraint_count(slots, named=features.has_vehicle_mention):
        scores["greet"] -= 2  # "hola, tienen…" greets on the way to a request
    if features.picks_from_list:
        scores["vehicle_details"] += 3.5  # "¿cuál es la más nueva?" is about one car of the list
    if POSSIBILITY_QUESTION.search(text):
        scores["create_lead"] -= 3  # "¿puedo manejarlo antes?" asks whether, it does not ask for


def _constraint_count(slots: dict, *, named: bool) -> int:
    """Search constraints stated; an exact year beside a model ("la versa 2020") names a car, not a filter."""
    count = sum(1 for name in ("min_price", "max_price", "max_km", "body_type", "transmission") if name in slots)
    year_min, year_max = slots.get("year_min"), slots.get("year_max")
    if (year_min or year_max) and (year_min != year_max or not named):
        count += 1
    return count


def _score_faq(text: str, features: IntentFeatures, scores: dict[str, float]) -> None:
    words = text.split()
    # "¿qué me ofrece la empresa para crecer?" asks the assistant's own question, even right after a FAQ.
    explicit = max(scores["value_proposition"], scores["help"], scores["human_handoff"]) >= 5
    following = CONTINUATION.search(text) or len(words) <= 7
    if features.has_faq_in_focus and following and not explicit and not _only_thanks(words):
        scores["faq"] += 2.0  # "¿y si cae en domingo?" follows the FAQ just answered
    if features.kind == "sales" and POLICY_TOPIC.search(text) and features.faq_score > 0.2:
        scores["faq"] += 4 + 5 * max(0.0, features.faq_score - features.faq_threshold)  # policy, not a car
    if features.faq_score <= 0:
        return
    margin = features.faq_score - features.faq_threshold
    if margin >= 0:
        scores["faq"] += 4 + 5 * margin
        if features.kind == "sales" and (features.has_vehicle_mention or features.slots):
            scores["faq"] -= 2.5
        if features.kind == "sales" and max(scores["financing"], scores["create_lead"], scores["help"]) >= 3.5:
            scores["faq"] -= 2  # an explicit request outweighs a loose FAQ match

    elif features.kind != "sales" and FAQ_QUESTION.search(text) and margin > -0.15:
        # A question near the threshold is still about work: answer "I don't know" as a FAQ.
        scores["faq"] += 1.0


def _score_context(text: str, features: IntentFeatures, attributes: tuple[str, ...], scores: dict[str, float]) -> None:
    if features.kind != "sales":
        return
    continuing = bool(CONTINUATION.search(text))
    if features.last_intent == "financing" and continuing and features.has_focus:
        scores["financing"] += 1.0
    if features.last_intent == "vehicle_details" and continuing and attributes:
        scores["vehicle_details"] += 1.0
    if _asks_the_same_about_another(text, features, attributes, continuing):
        scores[features.last_intent] += 4.0  # "¿y la ecosport?", "¿y el 2022?" ask again about another car
    if features.has_focus and PRONOUN_REFERENCE.search(text) and scores["create_lead"] > 0:
        scores["create_lead"] += 1.0


def _asks_the_same_about_another(
    text: str, features: IntentFeatures, attributes: tuple[str, ...], continuing: bool
) -> bool:
    if not continuing or features.last_intent not in ("financing", "vehicle_details"):
        return False
    slots = features.slots
    names_a_car = features.has_vehicle_mention or (
        slots.get("year_min") and slots.get("year_min") == slots.get("year_max")
    )
    asks_something_new = FRESH_SEARCH.search(text) or FINANCING.search(text) or attributes
    return bool(names_a_car) and not asks_something_new
