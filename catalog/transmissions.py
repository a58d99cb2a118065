"""The gearbox of a vehicle, read from the version text Kavak-style catalogs carry when no column says it."""

import re

AUTOMATIC = "automatic"
MANUAL = "manual"

# "1.6 ADVANCE CVT", "2.0 SEDAN I TA" (transmisión automática), "1.0 LS A", "1.6 TRENDLINE ASG".
_AUTOMATIC = re.compile(
    r"\b(?:AT|TA|A|AUTO|AUT|AUTOMATIC[OA]?|CVT|DCT|DSG|ASG|TIPTRONIC|STEPTRONIC|XTRONIC|S ?TRONIC|IVT|PDK)\b"
)
# "1.4 LT B MT", "1.6 SENSE STD", "TM" (transmisión manual).
_MANUAL = re.compile(r"\b(?:MT|STD|ESTANDAR|MANUAL|TM)\b")


def transmission_of(version: str) -> str:
    """'automatic', 'manual' or '' when the version text does not say."""
    folded = version.upper().replace("Á", "A")
    if _MANUAL.search(folded):
        return MANUAL
    if _AUTOMATIC.search(folded):
        return AUTOMATIC
    return ""
