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

import snowballstemmer
from rapidfuzz import fuzz, process

from nlu import thesaurus

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
QUESTION_COVER_FLOOR = 0.1  # an answer-only or off-topic match still ranks, far below the threshold
FUZZY_FLOOR = 88  # a whole-sentence similarity (0..100) this high is a match on its own
TYPO_CUTOFF = 86  # word similarity needed to read an unknown word as a known one
MAX_CORRECTIONS = 10_000  # typo corrections remembered per index
# Thesaurus synonyms are noisy: a word matched through one counts less than the word itself,
# and a synonym listed under very many entries ("lío", "golpe") is too vague to tell a topic.
SYNONYM_FACTOR = 0.6
MAX_SYNONYM_SPREAD = 40
MIN_SYNONYM_LENGTH = 4


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
# Each key names the concept(s) its entries mean ("problema+ti": both). Entries are separated by
# commas; an entry is a word, matched by its stem, or "=word", matched by that exact spelling
# only, or a phrase, in which "a|b" gives alternatives for one word. Phrases win over words.

VOCABULARY: dict[str, str] = {
    # Pay, payroll and benefits
    "pago": """
        pago, pagos, pagan, pagar, paguen, pagaran, pagaria, pagarian, pague, nomina, nominas, quincena, quincenas,
        quincenal, sueldo, sueldos, salario, salarios, deposito, depositan, depositar, depositen, cobrar, cobro,
        cobramos, cobro, raya, lana, varo, cuando cae|caen, dia de pago, me pagan|pagan|pagaran,
        payroll, salary, =paycheck, payday, pay day,
        =pay, =paid, get paid, when do we get paid
    """,
    "recibo_nomina": """
        =recibos, cfdi, cfdis, talon, talones, timbrado, recibo de nomina|pago|sueldo,
        comprobante|comprobantes|constancia|constancias de nomina|pago|sueldo|ingresos, payslip, payslips,
        pay stub|stubs|slip|slips, comprobar|compruebo|demostrar ingresos
    """,
    "prestaciones": """
        prestacion, prestaciones, beneficio, beneficios, perks, que me dan|dan|ofrecen|tengo,
        que otras cosas me dan, otras cosas, aparte|ademas de sueldo|salario|pago, =benefits, =benefit
    """,
    "ahorro": """
        ahorro, ahorros, ahorrar, fondo, fondos, aportacion, aportaciones, aporta, aportar, aportan,
        caja de ahorro, pone la empresa, savings,
        =fund, savings fund
    """,
    "prestamo": """
        prestamo, prestamos, adelanto, anticipo de nomina|sueldo
    """,
    # Time off and schedule
    "vacaciones": """
        vacaciones, vacacion, vacacionar, dias libres, dia libre, descanso, descansar, dias de descanso,
        tomarme unos dias, =vacas, vacation, vacations, =pto, time off, day|days off
    """,
    "festivo": """
        festivo, festivos, feriado, feriados, puente, puentes, asueto, inhabil, inhabiles,
        dias de descanso obligatorio|obligatorios|oficial|oficiales, descanso obligatorio, navidad,
        no se trabaja|labora, no laborable|laborables, dia|dias de asueto, ano nuevo, semana santa, dia de muertos,
        =descansamos, holiday, holidays, bank holiday|holidays, public holiday|holidays
    """,
    "horario": """
        horario, horarios, hora, horas, entrada, entradas, =salida, =salidas,
        a que hora entro|entramos|entra|salgo|salimos|sale, se entra|sale, hasta que hora,
        =salimos, =salgo, =salen, jornada, turno, turnos, checador, abre, abren, abrir, cierra, cierran, cerrar,
        abierto, fin de semana, lunes a viernes, schedule, =shift, working hours, office hours,
        =hours, what time, start time
    """,
    # "¿Qué hora es?" asks the time now, not the schedule; no FAQ answers it.
    "hora_actual": """
        =horaactual,
        what time is it
    """,
    "remoto": """
        remoto, remota, home office, homeoffice, desde casa, trabajar|trabajo|chambear en casa, teletrabajo,
        hibrido, hibrida, a distancia,
        presencial, presenciales, trabajar desde, ir|va|vamos|voy|venir|vengo|vienen|ven|asistir a oficina|ofi, =home,
        ir|va|vamos|voy|venir|asistir todos dias|diario a oficina|ofi, =remote, work|working from home, =wfh, hybrid,
        cuantos dias ir|va|vamos|voy|venir|vengo|asistir, dias de oficina|ofi, go to office
    """,
    "incapacidad": """
        incapacidad, incapacidades, enfermo, enferma, enferme, enfermedad, enfermarme, imss, me siento mal,
        estoy malo|mala, doctor, medico, hospital, cirugia, justificante, me cayo|hizo mal, gripa, gripe, fiebre,
        covid, infeccion, dolor, me duele, operaron, operacion, embarazo, embarazada, maternidad, paternidad,
        calentura, =tos, diarrea, vomito, vomitando, migrana, lesion, fractura, esguince, urgencias, clinica,
        amaneci|amanezco|ando|estoy con|enfermo|enferma|malo|mala|malito|malita,
        me siento|senti|dio|dieron con, me siento|senti mal|malito|malita|enfermo|enferma, reposo,
        amaneci|amanezco|ando|estoy|me siento|senti con calentura|temperatura|tos,
        fui|voy|ir|fue|vine|vengo|estuve|estoy|pase|paso a|en|de seguro|imss|clinica|urgencias,
        papel|papelito|hoja|constancia|justificante de imss|clinica|doctor|medico|hospital|urgencias,
        =sick, sick leave|day|days, medical leave
    """,
    "avisar": """
        reporto, reportar, reporte, avisar, aviso, avisarle, =avisale, =avisa, notificar, justificar
    """,
    "solicitar": """
        solicitar, solicito, solicitud, solicitudes, pedir, pido, piden, pides, tramitar, tramito,
        agendar, agendo, programar, programo,
        =request, =requesting, ask for, apply for
    """,
    "permiso": """
        permiso, permisos, =faltar, =falto, ausencia, ausentarme, =falte,
        =leave, permission
    """,
    "prueba": """
        prueba, pruebas, probar, probarlo, probarla, planta, a prueba, probation, probationary, trial period,
        contrato|contratos temporal|temporales|eventual|eventuales|determinado|indeterminado, contrato por tiempo
    """,
    "duracion": """
        dura, duracion, termina, terminar, acaba, acabar, vence, cuanto tiempo,
        =end, =ends, how long
    """,
    # Equipment, accounts and IT
    "laptop": """
        laptop, laptops, =lap, compu, computadora, computadoras, computador, =pc, macbook, =mac, portatil,
        equipo de computo, compu de trabajo, computer, =notebook,
        =equipment
    """,
    "acceso": """
        acceso, accesos, usuario, usuarios, contrasena, contrasenas, password, =pass, login, credenciales,
        inicio de sesion, iniciar sesion, entrar|entro|meterme a|en correo|slack|sistema|portal, acceder, ingresar,
        activar, activo, activacion, =cuentas, como entro|ingreso|accedo, =access, =account, =accounts, username,
        log in, sign in,
        =activate, locked out
    """,
    "correo": """
        correo, correos, mail, email, =gmail, outlook, correo corporativo|empresarial|institucional
    """,
    "herramientas": """
        herramienta, herramientas, slack, teams, jira, zoom, =meet, =aplicaciones, =aplicacion, apps, software,
        licencia, licencias
    """,
    "ti": """
        =ti, soporte, mesa de ayuda|servicio, helpdesk, help desk, ticket, tickets, tecnico, tecnologia,
        de|con|a|del|area|equipo it, it support, tech support, =support
    """,
    "atencion": """
        atiende, atienden, atender, atencion, atienda, atiendan, =service
    """,
    "ayuda": """
        =ayuda, =apoyo, a quien, con quien, quien me ayuda|apoya|orienta, acudo, acudir, orientacion, que hago,
        que puedo|debo|tengo que hacer,
        =help
    """,
    "contacto": """
        escribo, escribir, escribe, escribirle, contactar, contacto, contacta, marcar, marco, llamar, llamo,
        hablar, hablo, comunicarme, comunico, mensaje
    """,
    "problema": """
        problema, problemas, bronca, broncas, lio, conflicto, conflictos, queja, quejas, quejarme, acoso,
        hostigamiento, maltrato, me trata mal, no me llevo, pleito, =pedo,
        =problem, =problems, =issue, =issues, complaint, harassment, =harassing, =harassed, =bullying, =bullied,
        =mistreats
    """,
    # People and onboarding
    "lider": """
        lider, lideres, jefe, jefa, jefes, jefas, manager, gerente, supervisor, supervisora, coordinador,
        coordinadora, boss, team lead, leader
    """,
    "buddy": """
        buddy, mentor, mentora, padrino, madrina, tutor, acompane, acompanar, acompanante, guia, guiar,
        alguien que me ayude|apoye|oriente|ensene|explique|guie, ensenar, ensene,
        quien me va a ayudar|ensenar|explicar|guiar|acompanar
    """,
    "onboarding": """
        onboarding, induccion, integracion, bienvenida
    """,
    "contratar": """
        contratar, contratado, contratada, contratan, contratacion, vacante, vacantes, chamba,
        entrar|entre|meter a trabajar, puesto de trabajo,
        =vacancy, =vacancies, job opening|openings, =hire, =hiring
    """,
    "referir": """
        referir, referido, referidos, referida, recomendar, recomendarlo, recomendarla, =recomiendo, =recomende,
        referencia, referencias, =refiero, =refieres, =referi,
        =refer, =referral, =referrals
    """,
    "candidato": """
        candidato, candidata, candidatos, amigo, amiga, amigos, conocido, conocida, =primo, =prima, =primos,
        hermano, hermana, sobrino, sobrina, vecino, vecina, cuate, compa,
        =friend, =friends
    """,
    "beneficiario": """
        beneficiario, beneficiarios, beneficiaria, dependiente, dependientes, esposa, esposo, hijo, hijos, hija,
        pareja, conyuge, familia, familiares, mama, papa,
        =wife, =husband, =kids, =children, =family, =daughter, =partner, =spouse
    """,
    "registro": """
        alta, dar|doy de alta, registrar, registro, registra, inscribir, inscribirme, agregar,
        registrate, registrarte, registrarme, inscribete, inscribirte, inscripcion, apuntate, apuntarme, anotate,
        meter|meto|metes|anotar|anoto|inscribo a,
        =add, =enroll, =register
    """,
    "documentos": """
        documento, documentos, documentacion, =papeles, =papelitos, papeleria, papeleo, =docs, =doc,
        =ine, curp, =rfc, =nss, expediente de ingreso|alta,
        para|de|proceso|tramite alta, alta en|de imss, darme|dar|dan|den de alta en imss, darme de alta,
        me dan|den|darian de alta,
        acta de nacimiento, comprobante de domicilio, identificacion, credencial de elector, expediente,
        =documents, paperwork,
        =papers
    """,
    "requisitos": """
        requisito, requisitos, que necesito|ocupo|piden|requiero|pides|ocupas|necesitas|necesita, que me|te piden|pide,
        que se necesita|ocupa|pide|requiere, se necesita|ocupa|pide|requiere,
        que hay|tengo|tienes que tener,
        califico|calificar|calificaria|aplico|aplicar|aplicaria para, requirements, edad, mayor de edad
    """,
    "requisitos+documentos": """
        que hay|tengo|tienes|debo|necesito|ocupo que llevar|presentar|traer|entregar|mandar|enviar|subir,
        que les|le hay|tengo|tienes que llevar|presentar|traer|entregar|mandar|enviar|subir,
        que debo|necesito|ocupo|tengo|requiero llevar|presentar|traer|entregar|mandar|enviar|subir,
        que les|le debo|necesito|ocupo|tengo|requiero llevar|presentar|traer|entregar|mandar|enviar|subir,
        que les|le llevo|presento|traigo|entrego|mando|envio|subo
    """,
    "capacitacion": """
        capacitacion, capacitaciones, capacitar, curso, cursos, entrenamiento, entrenamientos, training, taller,
        talleres, clase, clases, aprendizaje, formacion, =course, =courses
    """,
    "obligatorio": """
        obligatorio, obligatorios, obligatoria, obligatorias, forzoso, forzosos,
        debo|tengo que|hay que tomar|hacer|completar, debes completar,
        =mandatory, =required
    """,
    "evaluacion": """
        evaluacion, evaluaciones, evaluan, evaluar, evalua, review, calificacion,
        califican, retroalimentacion, feedback,
        =evaluation, =evaluations
    """,
    # How well one works, not any evaluation: the probation period also ends with one.
    "desempeno+evaluacion": """
        desempeno, performance, performance review|reviews, evaluacion|evaluaciones de desempeno|resultados,
        autoevaluacion, autoevaluaciones, evaluacion|evaluaciones anual|anuales|semestral|semestrales
    """,
    "vestimenta": """
        vestimenta, dress code, vestir, visto, vestirse, ropa, jeans, mezclilla, pants, tenis, shorts, corbata,
        traje, formal, casual, uniforme, playera, playeras, =dresscode, outfit, what to wear, wear,
        =clothes
    """,
    # Places
    "comida": """
        comer, comida, comidas, comedor, microondas, cafeteria, cocina, cocineta, lunch, refri, refrigerador,
        almorzar, desayunar, =cafe, donde|que como|comemos, =food, kitchen,
        =eat, microwave, fridge
    """,
    "oficina": """
        oficina, oficinas, =ofi, corporativo, edificio, sede, =office, =offices
    """,
    "ubicacion": """
        donde, ubicacion, ubicada, ubicado, ubicados, ubican, direccion, =queda, =quedan, calle, avenida, colonia,
        codigo postal, como llego|llegar, mapa, =where, =address, location
    """,
    "sucursal": """
        sucursal, sucursales, agencia, agencias, =lote, tienda, showroom, punto de venta
    """,
    "estacionamiento": """
        estacionamiento, estacionamientos, estacionar, estaciono, estacionarme, cajon, cajones, parking,
        lugar|lugares para|de|donde dejar|estacionar coche|carro|auto|moto,
        llegar|ir|venir|vengo|llego en coche|carro|auto|moto, =park
    """,
    "auto": """
        coche, coches, carro, carros, =auto, =autos, automovil, vehiculo, vehiculos, unidad, moto, motos,
        motocicleta, camioneta, camionetas, =nave, =naves, vocho, vochito, tsuru, troca, trocas, trokita, carcacha,
        =pickup, =sedan, hatchback, =suv, =car, =cars, chevy, chevrolet, nissan, volkswagen, =vw, ford, toyota,
        honda, mazda, =kia, hyundai, =seat, renault, peugeot, suzuki, mitsubishi, =jeep, dodge, =bmw, =audi,
        mercedes, =mg, =jac
    """,
    # Money back and expenses
    "reembolso": """
        devolver, devuelvan, devuelven, devolucion, devoluciones, regresen|regresan|devuelvan mi|el dinero,
        me arrepiento, arrepentirme, arrepiento, si no me gusta|convence, regresarlo, regresar auto|coche|carro,
        reembolso de compra, refund
    """,
    "gastos": """
        gasto, gastos, viaticos, viatico, comprobacion, comprobar, =compruebo, gaste, gastamos, gasolina, casetas,
        taxi, uber, hospedaje, hotel, =expenses, =expense, travel expenses,
        gasto|gastos|viaticos de|del viaje|viajes, viaje|viajes de trabajo|negocios
    """,
    "factura": """
        factura, facturas, facturar, facturado, facturada, refactura, refacturas, refacturado, refacturados,
        refacturada, refacturadas, endosada, endosado, endosar, endoso, factura de agencia|origen|original, invoice
    """,
    "seguro": """
        seguro, seguros, aseguranza, poliza, cobertura, asegurar, asegurado, aseguradora, aseguradoras,
        insurance, car insurance
    """,
    # Buying a car
    "garantia": """
        garantia, garantias, garantizado, garantizada, respaldo
    """,
    "comprar": """
        comprar, compra, compro, comprarlo, comprarla, adquirir, llevarmelo, llevarmela
    """,
    "tradein": """
        a cuenta, a cambio, trade in, tradein, parte de pago, intercambio, intercambiar, avaluo,
        auto|coche|carro|camioneta|nave|vocho|troca como|de|para enganche,
        vender|vendo|cambiar|dar|doy auto|coche|carro|camioneta|nave|vocho|troca,
        toman|tomen|tomar|tomarian|aceptan|acepten|aceptarian|agarran auto|coche|carro|nave|camioneta|vocho|troca,
        auto|coche|carro actual,
        me dan|das|darian|darias|pagan|pagarian|ofrecen|compran por auto|coche|carro|camioneta|nave|vocho|troca,
        me toman|tomarian|agarran|agarrarian, por uno|otro mas nuevo|reciente, me darian|darias|pagarian por,
        cuanto me dan|das|darian|darias|pagan|pagarian|ofrecen por,
        le entran|entras|entrarian|entrarias, cuanto vale|valdria auto|coche|carro|camioneta,
        parte de enganche, =compran, =comprarian
    """,
    "financiamiento": """
        credito, creditos, financiamiento, financiar, financian, financiado, financiada, prestamo bancario,
        credito automotriz, financing, =loan
    """,
    # What a plan costs a month is the financing calculator's business, not a question about credit.
    "mensualidad": """
        mensualidad, mensualidades, plazo, plazos, a meses, pagos mensuales, pago mensual, mensual, mensuales,
        por|cada mes
    """,
    "enganche": """
        enganche, pago inicial
    """,
    "manejo": """
        manejo, manejar, manejarlo, manejarla, conducir, test drive, =manejo, darle una vuelta, dar vuelta,
        dar una vuelta|vueltita, =probarlo, =probarla, =manejarlo, =manejarla
    """,
    "entrega": """
        entrega, entregas, entregar, entregan, entregue
    """,
    "domicilio": """
        domicilio, a casa, a domicilio, hasta casa, donde vivo, otra|otras ciudad|ciudades|estado|estados,
        foraneo, foranea, foraneos, vivo|vive|vivimos en
    """,
    "inspeccion": """
        inspeccion, inspecciones, inspeccionado, revision, revisiones, revisado, revisada, revisan, certificado,
        certificada, certificacion, mecanico, mecanica, choque, chocado, chocada, historial, 240 puntos,
        reporte de robo, robado, robada, inspection
    """,
    "forma_pago": """
        tarjeta, tarjetas, efectivo, transferencia, transferencias, =spei, contado, cheque, meses sin intereses,
        meses sin interes, sin intereses, =msi, debito, forma|formas|metodo|metodos|medio|medios de pago,
        tarjeta de credito|debito, =tdc, =tdd, =cash, =paypal, =oxxo, deposito bancario, de contado,
        como puedo|le pagar|pago|pagarlo|pagarla|liquidar|liquidarlo, como se puede pagar|pagarlo|liquidar,
        como pago|pagar|pagarlo,
        como se paga|pagan|liquida
    """,
    "descuento": """
        descuento, descuentos, descuentito, rebaja, rebajita, negociable, negociables, negociar, regatear, regateo,
        oferta, ofertas, discount,
        bajar|bajan|baja|bajas|bajen|bajarle|bajarian|bajarias|bajaria precio|costo,
        le bajan|bajas|bajen|bajarian|bajarias|bajaria|baja|rebajan|rebajas|rascan|rascas,
        me lo|le dejan|dejas|dejarian|dejarias|deja en, ultimo precio, precio final|fijo|fijos, mejor precio,
        hay chance|chanza de menos
    """,
    "placas": """
        placas, tenencia, tarjeta de circulacion, cambio de propietario|dueno, verificacion, refrendo,
        emplacar, emplacado, emplacarlo, poner|ponerle|sacar|tramitar placas, =plates, cambio de nombre,
        poner|ponerlo|ponen|pasar|pasarlo|pasan a nombre
    """,
    "precio": """
        precio, precios, cuesta, cuestan, costo, price
    """,
    # Words that bring several concepts: a failing device is a problem for IT support
    # (or for the warranty); an aguinaldo is one of the benefits.
    "aguinaldo+prestaciones": """
        aguinaldo,
        christmas bonus
    """,
    "despensa+prestaciones": """
        =vales, vale|vales de despensa, despensa, monedero
    """,
    "problema+ti+garantia": """
        falla, fallas, fallando, trabo, trabada, trabado, congelo, congelada, no prende, no enciende, no funciona,
        no sirve, no jala, no carga, no abre, se apago, error, errores, descompuso, descompuesta, virus,
        pantalla azul, wifi, internet, vpn, impresora, lenta, lento, alenta, sale|salio malo|mala, defecto,
        defectos, defectuoso, descompone, descompuesto, averia, averiado,
        not working, doesnt work, broken, =broke, crashed, wont turn on, not turning on
    """,
    "acceso+problema+ti": """
        olvide|olvido|perdi|bloquearon|bloqueo|caduco|expiro contrasena|password|usuario|acceso,
        no puedo|me deja entrar|acceder|ingresar|abrir
    """,
    "estacionamiento+auto": """
        llevar|traer|dejar|estacionar coche|carro|auto|moto|bici|bicicleta
    """,
    "vacaciones+solicitar": """
        tomar|pedir|sacar|agendar|programar|apartar vacaciones
    """,
    "herramientas+ti": """
        sistema, sistemas
    """,
    "reembolso+gastos": """
        reembolso, reembolsos, reembolsar, reembolsen, reembolsan, reembolsa, recuperar, recupero,
        factura|facturas|comprobantes|tickets|notas de|del viaje|viajes,
        meter|meto|subir|subo|capturar|capturo|cargar|cargo gasto|gastos|factura|facturas|viaticos|comprobantes,
        registrar|registro|comprobar|compruebo|reportar|reporto gasto|gastos|factura|facturas|viaticos|comprobantes,
        me lo|la|los|las reponen|repongan|reembolsan,
        reimbursement, reimburse, reimbursed
    """,
    "requisitos+financiamiento": """
        =buro, buro de credito, historial crediticio, historial de credito, score, boletinado, boletinada
    """,
    "seguro+prestaciones": """
        gastos medicos, gastos medicos mayores, gmm, seguro medico, seguro de vida, seguro de gastos medicos,
        prima vacacional,
        health|medical insurance
    """,
    "entrega+domicilio": """
        envio, envios, enviar, envian, envias, mandan, mandar, mandarlo, mandarmelo, mandas, delivery, =shipping,
        llevan|traen|mandan|llevas|traes|mandas|entregan|dejan|llevar|traer|mandar|entregar|dejar a|hasta casa,
        llevarmelo|traermelo|llevarlo|traerlo|dejarmelo a|hasta casa, llevan|traen|entregan|llevas|traes hasta,
        llevarmelo|traermelo|llevarlo|traerlo|entregarmelo hasta
    """,
    "garantia+seguro": """
        cubre, cubren, cubrir, cubierto, cubierta
    """,
}

# Asking "where" is often incidental ("¿dónde veo mis cursos?"), but a FAQ asking where
# something is is about its place.
QUERY_MULTIPLIER: dict[str, float] = {"ubicacion": 0.5}
QUESTION_MULTIPLIER: dict[str, float] = {"ubicacion": 1.5}
# Concepts that frame a question more than they name its topic: sharing only these with a
# FAQ's question is no match ("¿me ayudas?" is not "¿Me ayudan con el seguro del auto?").
# "¿Cuánto tiempo tengo para…?" asks a deadline of anything; only a period named ("de prueba") is probation.
FRAME_CONCEPTS = frozenset(
    {"ayuda", "contacto", "auto", "entrega", "candidato", "mensualidad", "comprar", "precio", "duracion", "atencion"}
)
# Asking what is required names the documents a FAQ lists ("¿qué necesito para comprar un auto?").
# IT support is help with IT problems ("¿a qué hora atiende soporte?" asks the FAQ on IT help); an
# invoice at work is an expense to claim back.
TOPIC_ALIASES: dict[str, tuple[str, ...]] = {
    "#requisitos": ("#documentos",),
    "#ti": ("#problema", "#ayuda"),
    "#factura": ("#gastos", "#reembolso"),
}
# Concepts that weigh less than their rarity says.
CONCEPT_MULTIPLIER: dict[str, float] = {
    "duracion": 0.6,
    "ayuda": 0.7,
    "contacto": 0.6,
    "auto": 0.6,
    "entrega": 0.6,
    "solicitar": 0.5,
    "requisitos": 0.6,
    "candidato": 0.6,
}


def _word_list(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say little about which FAQ is meant, matched by stem: everyday verbs and nouns.
GENERIC_WORDS = _word_list(
    """
    trabajo trabajar trabaja trabajamos trabajas dia dias empresa aqui tiempo cosa cosas primer primeros primera
    nuevo nueva semana mes meses ano anos area equipo persona personas alguien recibo recibir recibe asignar
    asignan asigna asignado tomar tomo toma tramite consultar consulto consulta obtener obtengo hacer tocan toca
    corresponden corresponde ver veo vea usar uso poner pongo subir subo bajar bajo bajarlos descargar descargo
    llegar llega llego buscar busco busca levantar levanto sacar saco mandar mando fecha fechas olvide olvido
    entrar entro entra entramos salir salgo sale salimos ir voy va vamos venir vengo viene llevar traer cambiar
    cambio seguir sigo empezar empiezo empieza inicio iniciar termino sirve servir funciona esperar
    espero favor forma manera modo proceso paso pasos parte tipo algo nada mejor peor mas menos bien mal caso
    acuerdo lado momento vez veces luego proximo siguiente ultimo ultima dejar dejo deje decir dijeron
    preguntar pregunto saber conocer conozco ocupo ocupar apoyar empleado empleados gente compañeros companeros
    falta faltan mayor mayores general normal real checan checar checa papel meter meto mete metes metemos
    amaneci amanezco viaje viajes traigo traemos cargar cargo
    permite permiten permitido dejan deja aplica aplican valido valida existe existen encuentro encontrar incluye
    incluyen minimo maximo lunes martes miercoles jueves viernes sabado sabados domingo domingos
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre calentar guardar
    ayudar ayudan ayudas ayude ayuden ayudarian ayudarias apoyan apoyas apoyen aceptan aceptar acepta aceptas
    acepten reciben recibes
    """
)

STOP_WORDS = _word_list(
    """
    a al algo algun alguna algunas alguno algunos ante antes aparte asi aun bien bueno buenas buenos buen cada
    casi como con contra cual cuales cualquier cuando cuanto cuanta cuantos cuantas de del desde e el ella ellas
    ellos en entonces entre era eres es esa esas ese eso esos esta estas este esto estos esta estan estoy
    estamos estar fue ha han has hay he hola la las le les lo los luego mas me mi mis mucho mucha muchos muchas
    muy nada ni no nos nosotros o oye otra otras otro otros para pero poco por porque pues que quien quienes
    se si sin sobre solo son su sus tambien tan tanto te ti tu tus u un una unas uno unos usted ustedes va van
    vamos voy fui fuimos fueron y ya yo ok okay oki gracias favor porfa xfa please hey ey holi holaa buen tardes noches
    tengo tienes tiene tenemos tienen tener tendria tenga tengan puedo puedes puede podemos pueden poder podria
    podrian pueda puedan hago haces hace hacemos hacen haga hagan quiero quieres quiere queremos quieren querer
    necesito necesitas necesita necesitamos necesitan necesitaria se sabes sabe saber debo debes debe debemos
    deben deber hay habra haber dan da dar doy dieron dio den me te nos les llevar llevo lleva ir sea ser soy
    seria sera saber decir dime digan dices sabes cuentame explicame oiga oigan este osea neta wey guey jaja
    jeje jajaja ahorita ahora hoy manana ayer aca alla eh pregunta duda dudas informacion info cual cuales
    que tal onda onda pasa pasar rollo caso vez veces ahi hasta mientras ustedes usted tuyo mio mia
    tu su nuestra nuestro vuestro todo toda todos todas igual lugar gustaria gusta quisiera manejan venden
    vende vendes ofrecen ofrece tantito tantita poquito poquita poquitin mil pesos peso
    """
    # English mixed into a message: "what about the laptop?"
    """
    what whats about the is isnt are arent was my mine when how can cant could i im ive do does dont did you your
    have has there theres who which will would should shall an and or of to for in on at with from by
    get got give gets it its this that these those any some we our us they their please pls thanks thank
    hi hello so just also like much many need want know tell ask if yes not be am well then than work works today
    tomorrow yesterday now
    """
)

# Articles and possessives are dropped before phrases are matched ("dejar el coche" = "dejar mi coche").
FILLERS = _word_list("el la los las lo un una unos unas mi mis tu tus su sus al del")
_CONTRACTIONS = {"al": "a", "del": "de"}

# How people type in chats: "a q hora", "xq", "pa".
CHAT_SPELLING = dict(
    pair.split(":")
    for pair in _word_list(
        "q:que k:que ke:que xq:porque pq:porque porq:porque x:por tb:tambien tmb:tambien d:de pa:para pal:para "
        "cdo:cuando qndo:cuando dnd:donde dond:donde hr:hora hrs:horas vdd:verdad"
    )
)

_MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre"
_CLOCK = re.compile(r"\b(a las \d{1,2}|\d{1,2}(:\d\d)? ?(am|pm|hrs?)\b|\d{1,2}:\d\d)")
_DATE = re.compile(rf"\b\d{{1,2}} de ({'|'.join(_MONTHS.split())})\b")
_TIME_NOW = re.compile(r"\bque horas? (es|son)( ahorita| ahora)?\W*$")
_NON_WORD = re.compile(r"[^a-z0-9ñ]+")
_REPEATS = re.compile(r"(.)\1{2,}")

_STEMMER = snowballstemmer.stemmer("spanish")


@lru_cache(maxsize=20000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def fold(text: str) -> str:
    """Lower case without accents: 'Día de PAGO' -> 'dia de pago'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    text = _REPEATS.sub(r"\1", fold(text))
    # A date ("el 24 de diciembre") in a question is about a day off.
    text = _DATE.sub(lambda m: f"festivo {m.group(1)}", text)
    text = _CLOCK.sub(" hora ", text)  # "a las 9", "18:00": a time of day
    text = _TIME_NOW.sub(" horaactual ", text)
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


def _entries(text: str) -> list[str]:
    return [entry.strip() for entry in text.replace("\n", ",").split(",") if entry.strip()]


def _compile_lexicon() -> _Lexicon:
    exact: dict[str, tuple[str, ...]] = {}
    stems: dict[str, tuple[str, ...]] = {}
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    surface: set[str] = set()

    def add(table: dict, key: Any, concepts: tuple[str, ...], entry: str) -> None:
        if table.setdefault(key, concepts) != concepts:
            raise ValueError(f"«{entry}» means both {table[key]} and {concepts}: list it under one key")

    for key, text in VOCABULARY.items():
        concepts = tuple(key.split("+"))
        for entry in _entries(text):
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


def _keyword_lines(keywords: str) -> list[str]:
    return [line.strip() for line in keywords.splitlines() if line.strip()]


def _document(entry: FaqEntry) -> _Document:
    lines = [entry.question, *_keyword_lines(entry.keywords)]
    variants = tuple(frozenset(terms_of(line)) for line in lines)
    weights = {term: ANSWER_WEIGHT for term in terms_of(f"{entry.answer} {entry.additional_info}")}
    weights.update({term: 1.0 for variant in variants for term in variant})
    plain = tuple(" ".join(_words(line)) for line in lines)
    words = {(unit, tuple(terms)) for line in lines for unit, terms in analyse(line) if terms and " " not in unit}
    return _Document(entry=entry, weights=weights, variants=variants, plain_text=plain, words=tuple(sorted(words)))


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

    def __init__(self, documents: list[_Document]) -> None:
        self._documents = documents
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

    def _question_line(self, variant: frozenset[str]) -> _QuestionLine:
        weights = {term: self._question_weight(term) for term in variant}
        topic = frozenset(term for term in variant if _is_topic(term))
        return _QuestionLine(weights=weights, total=sum(weights.values()), topic=topic)

    @classmethod
    def build(cls, entries: Iterable[FaqEntry]) -> FaqIndex:
        return cls([_document(entry) for entry in entries])

    def __len__(self) -> int:
        return len(self._documents)

    def get(self, faq_id: int) -> FaqEntry | None:
        return self._by_id.get(faq_id)

    def best(self, text: str) -> FaqMatch | None:
        ranked = self.ranked(text, limit=1)
        return ranked[0] if ranked else None

    def ranked(self, text: str, limit: int = 3) -> list[FaqMatch]:
        words = _words(text)
        query, stand_ins = self._query_terms(words)
        if not query or not self._documents:
            return []
        scores = self._concept_scores(query, stand_ins)
        folded = " ".join(words)
        for position, doc in enumerate(self._documents):
            similarity = max(fuzz.ratio(folded, line) for line in doc.plain_text)
            if similarity >= FUZZY_FLOOR:
                scores[position] = max(scores.get(position, 0.0), similarity / 100)
        order = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [self._match(position, score) for position, score in order[:limit] if score > 0]

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
                    query[stand_in] = rarity * SYNONYM_FACTOR
                    # The link may be another sense of the word: it still half says "something else".
                    query[f"~{unit}"] = self._unknown_weight * (1 - SYNONYM_FACTOR)
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
            question_cover = max(self._question_cover(position, named, related, stand_ins), QUESTION_COVER_FLOOR)
            # A message that says little ("necesito un carro") is no confident match, however well it fits.
            evidence = min(1.0, matched / self._min_evidence)
            scores[position] = message_cover * question_cover**QUESTION_COVER_EXPONENT * evidence
        return scores

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


def _is_topic(term: str) -> bool:
    if term.startswith("#"):
        return term[1:] not in FRAME_CONCEPTS
    return term not in LEXICON.generic
