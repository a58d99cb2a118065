"""Body types: the words customers use for them, and what each model sold in Mexico is.

`BODY_TYPE_WORDS` maps what people write ("camioneta", "troca", "pick up") to the
canonical body type of `catalog.models.BodyType`. `infer_body_type` tells the body type
of a make and model from a knowledge table of the Mexican market, then from the
version name ("2.0 SEDAN I TA"), then from the dimensions; "" when it cannot tell.
"""

import re
import unicodedata

SEDAN, HATCHBACK, SUV, PICKUP, MINIVAN, COUPE = "sedan", "hatchback", "suv", "pickup", "minivan", "coupe"

BODY_TYPE_WORDS: dict[str, str] = {
    # SUVs: in Mexico "camioneta" is what people call an SUV.
    "camioneta": SUV,
    "camionetas": SUV,
    "camionetita": SUV,
    "camionetitas": SUV,
    "camionetota": SUV,
    "suv": SUV,
    "suvs": SUV,
    "crossover": SUV,
    "crossovers": SUV,
    "todoterreno": SUV,
    "todo terreno": SUV,
    "jeepeta": SUV,
    "jeepetas": SUV,
    "todoterrenos": SUV,
    # Pickups.
    "troca": PICKUP,
    "trocas": PICKUP,
    "troka": PICKUP,
    "trokas": PICKUP,
    "trokita": PICKUP,
    "trokitas": PICKUP,
    "trocona": PICKUP,
    "troquita": PICKUP,
    "troquitas": PICKUP,
    "troconas": PICKUP,
    "truck": PICKUP,
    "trucks": PICKUP,
    "pickup": PICKUP,
    "pickups": PICKUP,
    "pick up": PICKUP,
    "pick ups": PICKUP,
    "pick-up": PICKUP,
    "pikap": PICKUP,
    "camioneta de carga": PICKUP,
    "estaquitas": PICKUP,
    "doble cabina": PICKUP,
    # Minivans.
    "van": MINIVAN,
    "vans": MINIVAN,
    "minivan": MINIVAN,
    "minivans": MINIVAN,
    "mini van": MINIVAN,
    "mini-van": MINIVAN,
    "vanette": MINIVAN,
    "monovolumen": MINIVAN,
    "familiar para 7": MINIVAN,
    "familiar de 7": MINIVAN,
    # Sedans.
    "sedan": SEDAN,
    "sedanes": SEDAN,
    "sedans": SEDAN,
    # Hatchbacks: a "compacto" in Mexico is a small car, usually a hatchback.
    "hatchback": HATCHBACK,
    "hatchbacks": HATCHBACK,
    "hatch": HATCHBACK,
    "hatchbak": HATCHBACK,
    "compacto": HATCHBACK,
    "compactos": HATCHBACK,
    "compactito": HATCHBACK,
    # Coupes and sports cars.
    "coupe": COUPE,
    "coupes": COUPE,
    "cupe": COUPE,
    "deportivo": COUPE,
    "deportivos": COUPE,
    "convertible": COUPE,
    "convertibles": COUPE,
    "descapotable": COUPE,
    "cabrio": COUPE,
    "cabriolet": COUPE,
    "roadster": COUPE,
    "sports car": COUPE,
}

# "camioneta" is the generic word: a more specific word in the same message wins ("camioneta pick up").
GENERIC_BODY_WORDS = frozenset({"camioneta", "camionetas", "camionetita", "camionetitas", "camionetota"})

_S, _H, _U, _P, _M, _C = SEDAN, HATCHBACK, SUV, PICKUP, MINIVAN, COUPE

# Make → model → body type for models sold in Mexico. Where a model comes in two bodies,
# the one Mexican lots carry most (Kavak's Rio and Figo are mostly sedans).
MODEL_BODY_TYPES: dict[str, dict[str, str]] = {
    "Chevrolet": {
        "Aveo": _S, "Onix": _S, "Sonic": _S, "Cavalier": _S, "Cruze": _S, "Malibu": _S, "Optra": _S,
        "Spark": _H, "Beat": _H, "Chevy": _H, "Matiz": _H, "Tornado": _P, "S10": _P, "Silverado": _P,
        "Colorado": _P, "Cheyenne": _P, "Montana": _P, "Tracker": _U, "Trax": _U, "Captiva": _U, "Equinox": _U,
        "Blazer": _U, "Tahoe": _U, "Suburban": _U, "Traverse": _U, "Groove": _U, "Trailblazer": _U,
        "Camaro": _C, "Corvette": _C, "Express": _M, "Orlando": _M,
    },
    "Nissan": {
        "March": _H, "Note": _H, "Leaf": _H, "Versa": _S, "Sentra": _S, "Altima": _S, "Tsuru": _S, "Tiida": _S,
        "V-Drive": _S, "Almera": _S, "Maxima": _S, "Kicks": _U, "X-Trail": _U, "Murano": _U, "Pathfinder": _U,
        "Juke": _U, "Qashqai": _U, "Armada": _U, "Rogue": _U, "Frontier": _P, "NP300": _P, "Titan": _P,
        "Urvan": _M, "370Z": _C, "350Z": _C,
    },
    "Toyota": {
        "Yaris": _S, "Corolla": _S, "Camry": _S, "Prius": _H, "Avanza": _M, "Sienna": _M, "Hiace": _M,
        "RAV4": _U, "Highlander": _U, "C-HR": _U, "4Runner": _U, "Sequoia": _U, "Land Cruiser": _U,
        "Raize": _U, "Corolla Cross": _U, "Fortuner": _U, "Hilux": _P, "Tacoma": _P, "Tundra": _P,
        "GT86": _C, "Supra": _C,
    },
    "Volkswagen": {
        "Gol": _H, "Polo": _H, "Golf": _H, "Up": _H, "Beetle": _H, "CrossFox": _H, "Jetta": _S, "Vento": _S,
        "Passat": _S, "Virtus": _S, "Bora": _S, "T-Cross": _U, "Taos": _U, "Tiguan": _U, "Touareg": _U,
        "Teramont": _U, "Nivus": _U, "Cross Sport": _U, "Saveiro": _P, "Amarok": _P, "Caddy": _M,
        "Transporter": _M, "Sharan": _M, "Routan": _M,
    },
    "Honda": {
        "Fit": _H, "City": _S, "Civic": _S, "Accord": _S, "Insight": _S, "CR-V": _U, "HR-V": _U, "BR-V": _U,
        "Pilot": _U, "Odyssey": _M, "Ridgeline": _P,
    },
    "Mazda": {
        "Mazda 2": _S, "Mazda 3": _S, "Mazda 6": _S, "CX-3": _U, "CX-30": _U, "CX-5": _U, "CX-50": _U,
        "CX-7": _U, "CX-9": _U, "CX-90": _U, "MX-5": _C, "BT-50": _P,
    },
    "KIA": {
        "Rio": _S, "Forte": _S, "K3": _S, "Optima": _S, "Stinger": _S, "Soul": _H, "Picanto": _H,
        "Sportage": _U, "Seltos": _U, "Sorento": _U, "Sonet": _U, "Niro": _U, "Telluride": _U,
        "Carnival": _M, "Sedona": _M,
    },
    "Hyundai": {
        "Grand i10": _H, "i10": _H, "Accent": _S, "Elantra": _S, "Sonata": _S, "Creta": _U, "Tucson": _U,
        "Santa Fe": _U, "Palisade": _U, "Kona": _U, "Venue": _U, "Starex": _M, "H1": _M,
    },
    "Ford": {
        "Figo": _S, "Fiesta": _H, "Ka": _H, "Focus": _S, "Fusion": _S, "Mustang": _C, "EcoSport": _U,
        "Escape": _U, "Edge": _U, "Explorer": _U, "Expedition": _U, "Bronco": _U, "Territory": _U,
        "Ranger": _P, "Lobo": _P, "F-150": _P, "Maverick": _P, "Transit": _M,
    },
    "Renault": {
        "Kwid": _H, "Sandero": _H, "Stepway": _H, "Clio": _H, "Megane": _H, "Logan": _S, "Fluence": _S,
        "Duster": _U, "Captur": _U, "Koleos": _U, "Oroch": _P, "Alaskan": _P, "Kangoo": _M,
    },
    "Dodge": {
        "Attitude": _S, "Neon": _S, "Charger": _S, "Challenger": _C, "Journey": _U, "Durango": _U,
        "Nitro": _U, "Ram": _P, "Caravan": _M, "Grand Caravan": _M,
    },
    "Ram": {"700": _P, "1500": _P, "2500": _P, "ProMaster": _M},
    "Jeep": {
        "Compass": _U, "Renegade": _U, "Patriot": _U, "Cherokee": _U, "Grand Cherokee": _U, "Wrangler": _U,
        "Liberty": _U, "Commander": _U, "Gladiator": _P,
    },
    "Chrysler": {"Town & Country": _M, "Pacifica": _M, "300": _S, "PT Cruiser": _H},
    "Fiat": {
        "Uno": _H, "Palio": _H, "Mobi": _H, "Argo": _H, "500": _H, "Cronos": _S, "Strada": _P, "Ducato": _M,
        "Pulse": _U,
    },
    "Peugeot": {
        "208": _H, "308": _H, "301": _S, "2008": _U, "3008": _U, "5008": _U, "Partner": _M, "Rifter": _M,
        "Manager": _M, "Landtrek": _P,
    },
    "Seat": {
        "Ibiza": _H, "Leon": _H, "Toledo": _S, "Arona": _U, "Ateca": _U, "Tarraco": _U, "Alhambra": _M,
    },
    "Suzuki": {
        "Swift": _H, "Ignis": _H, "Baleno": _H, "SX4": _H, "Ciaz": _S, "Dzire": _S, "Vitara": _U,
        "Grand Vitara": _U, "S-Cross": _U, "Jimny": _U, "Ertiga": _M,
    },
    "BMW": {
        "Serie 1": _H, "Serie 2": _C, "Serie 3": _S, "Serie 4": _C, "Serie 5": _S, "Serie 6": _C,
        "Serie 7": _S, "Serie 8": _C, "X1": _U, "X2": _U, "X3": _U, "X4": _U, "X5": _U, "X6": _U, "X7": _U,
        "Z4": _C, "i3": _H, "M3": _S, "M4": _C,
    },
    "Mercedes Benz": {
        "Clase A": _H, "Clase B": _H, "Clase C": _S, "Clase E": _S, "Clase S": _S, "Clase CLA": _S,
        "Clase CLS": _S, "Clase GLA": _U, "Clase GLB": _U, "Clase GLC": _U, "Clase GLE": _U, "Clase GLS": _U,
        "Clase G": _U, "Clase ML": _U, "Clase GL": _U, "Clase V": _M, "Sprinter": _M, "Clase SLK": _C,
        "Clase SL": _C, "Clase CLK": _C, "AMG GT": _C,
    },
    "Audi": {
        "A1": _H, "A3": _S, "A4": _S, "A5": _C, "A6": _S, "A7": _S, "A8": _S, "Q2": _U, "Q3": _U, "Q5": _U,
        "Q7": _U, "Q8": _U, "TT": _C, "R8": _C,
    },
    "Volvo": {"S40": _S, "S60": _S, "S90": _S, "V40": _H, "C30": _H, "XC40": _U, "XC60": _U, "XC90": _U},
    "Mini": {"Cooper": _H, "Clubman": _H, "Countryman": _U, "Paceman": _U},
    "Infiniti": {
        "Q50": _S, "Q70": _S, "Q60": _C, "G37": _C, "QX50": _U, "QX60": _U, "QX70": _U, "QX80": _U,
    },
    "JAC": {
        "SEI2": _U, "SEI3": _U, "SEI4": _U, "SEI7": _U, "J4": _S, "J7": _S, "E10X": _H, "Frison": _P,
        "T8": _P,
    },
    "Lincoln": {
        "Nautilus": _U, "MKX": _U, "MKC": _U, "Corsair": _U, "Aviator": _U, "Navigator": _U, "MKZ": _S,
        "MKS": _S, "Continental": _S,
    },
    "MG": {"MG5": _S, "GT": _S, "MG3": _H, "ZS": _U, "Hs": _U, "RX5": _U, "RX8": _U, "One": _U},
    "Land Rover": {
        "Discovery": _U, "Discovery Sport": _U, "Range Rover": _U, "Range Rover Evoque": _U,
        "Range Rover Velar": _U, "Range Rover Sport": _U, "Evoque": _U, "Defender": _U,
    },
    "Mitsubishi": {
        "Mirage": _H, "Mirage G4": _S, "Lancer": _S, "Outlander": _U, "Eclipse Cross": _U, "Montero": _U,
        "ASX": _U, "L200": _P, "Xpander": _M,
    },
    "Subaru": {
        "Impreza": _S, "Legacy": _S, "WRX": _S, "XV": _U, "Crosstrek": _U, "Forester": _U, "Outback": _U,
        "BRZ": _C,
    },
    "Acura": {"ILX": _S, "TLX": _S, "RDX": _U, "MDX": _U},
    "Lexus": {"NX": _U, "RX": _U, "UX": _U},
    "GMC": {"Sierra": _P, "Canyon": _P, "Acadia": _U, "Terrain": _U, "Yukon": _U, "Savana": _M},
    "Cadillac": {"Escalade": _U, "XT4": _U, "XT5": _U, "XT6": _U, "ATS": _S, "CTS": _S},
    "Buick": {"Encore": _U, "Envision": _U, "Enclave": _U},
    "Tesla": {"Model 3": _S, "Model S": _S, "Model X": _U, "Model Y": _U},
    "Porsche": {"911": _C, "Boxster": _C, "Cayman": _C, "Cayenne": _U, "Macan": _U, "Panamera": _S, "Taycan": _S},
    "Cupra": {"Formentor": _U},
    "Chirey": {"Tiggo 2": _U, "Tiggo 4": _U, "Tiggo 7": _U, "Tiggo 8": _U, "Arrizo 5": _S},
    "BYD": {"Dolphin": _H, "Seal": _S, "Han": _S, "Song": _U, "Tang": _U, "Yuan": _U, "Shark": _P},
    "Great Wall": {"Poer": _P, "Wingle": _P},
    "Haval": {"H6": _U, "Jolion": _U},
    "Jaguar": {"XE": _S, "XF": _S, "F-Pace": _U, "E-Pace": _U, "F-Type": _C},
    "Alfa Romeo": {"Giulia": _S, "Stelvio": _U},
    "Isuzu": {"D-Max": _P},
}

_VERSION_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:hatchback|hb)\b"), HATCHBACK),
    (re.compile(r"\bsedan\b"), SEDAN),
    (re.compile(r"\b(?:coupe|cabrio|convertible|roadster)\b"), COUPE),
    (re.compile(r"\b(?:doble cabina|cabina sencilla|crew cab|chasis|redilas|estacas)\b"), PICKUP),
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def compact_key(text: str) -> str:
    """Lower case, no accents, letters and digits only: "CX-5" → "cx5", "Citroën" → "citroen"."""
    folded = text.casefold()
    if not folded.isascii():
        folded = "".join(char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char))
    return _NON_ALNUM.sub("", folded)


_BODY_BY_MAKE_MODEL: dict[tuple[str, str], str] = {
    (compact_key(make), compact_key(model)): body
    for make, models in MODEL_BODY_TYPES.items()
    for model, body in models.items()
}
_KNOWN_MAKE_KEYS = frozenset(compact_key(make) for make in MODEL_BODY_TYPES)
_BODY_BY_MODEL: dict[str, str] = {}
for (_make_key, _model_key), _body in _BODY_BY_MAKE_MODEL.items():
    _BODY_BY_MODEL.setdefault(_model_key, _body)


def infer_body_type(
    make: str, model: str, height_mm: int | None = None, length_mm: int | None = None, *, version: str = ""
) -> str:
    """The body type of a vehicle: from the model, the version name, then the dimensions; "" if unknown."""
    make_key, model_key = compact_key(make), compact_key(model)
    from_version = _body_from_version(version)
    known = _BODY_BY_MAKE_MODEL.get((make_key, model_key)) or _body_from_model_name(make_key, model_key)
    if from_version and known in (SEDAN, HATCHBACK, COUPE, "") and from_version != PICKUP:
        return from_version  # "Mazda 3 2.5 HATCHBACK": the version tells which of the two bodies
    if known:
        return known
    return from_version or _body_from_dimensions(height_mm, length_mm)


def _body_from_model_name(make_key: str, model_key: str) -> str:
    """"Mazda3" or a bare "3" for the table's "Mazda 3"; a model of an unknown make by its name alone."""
    bare = model_key[len(make_key) :] if model_key.startswith(make_key) else model_key
    for candidate in (bare, make_key + model_key):
        found = _BODY_BY_MAKE_MODEL.get((make_key, candidate))
        if found:
            return found
    if make_key in _KNOWN_MAKE_KEYS:
        return ""  # a make we know, with a model we don't: don't borrow another make's model
    return _BODY_BY_MODEL.get(model_key, "")


def _body_from_version(version: str) -> str:
    folded = version.casefold()
    for pattern, body in _VERSION_HINTS:
        if pattern.search(folded):
            return body
    return ""


def _body_from_dimensions(height_mm: int | None, length_mm: int | None) -> str:
    if not height_mm or not length_mm:
        return ""
    if height_mm >= 1780 and length_mm >= 5200:
        return PICKUP
    if height_mm >= 1550 and length_mm >= 4100:
        return SUV
    if length_mm < 4150:
        return HATCHBACK
    return SEDAN
