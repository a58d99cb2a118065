"""Phone numbers in one form, E.164 ("+525512349876"), whatever way a customer or a client wrote them.

Mexico is the default country. The old mobile prefix "1" after +52 ("+52 1 55 1234 9876", as WhatsApp
still sends Mexican numbers) is dropped: Mexico retired it in 2019, both forms ring the same line, and
E.164 knows only +52 and ten digits. Twilio's WhatsApp senders are kept as Twilio sends them (replies must
go back to exactly that address); matching a customer across channels compares the last ten digits.
"""

import re

import phonenumbers

# Only digits, separators and one leading "+": "55-1234-LOVE" or "call 5512349876" are not phones.
PHONE_TEXT = re.compile(r"^\+?[\d\s().\-]+$")
WHATSAPP_PREFIX = "whatsapp:"
MEXICO = "52"
OLD_MEXICAN_MOBILE_PREFIX = "1"
NATIONAL_DIGITS = 10
MIN_DIGITS, MAX_DIGITS = 10, 15  # E.164 allows at most 15; shorter than 10 is an extension or a price
# Numbers as people and clients write them: digit groups, "(55)" area codes and a leading "+", joined
# by one space, dot or hyphen ("+52 55 1234 9876", "(55) 1234 9878", "52-55-1234-9876", "+5215512349876").
_NUMBER_TOKEN = r"\+?(?:\(\d{1,4}\)|\d+)"
NUMBER_CLUSTER = re.compile(rf"(?<![\w+]){_NUMBER_TOKEN}(?:(?:[ .\-]|(?<=\))){_NUMBER_TOKEN})*(?!\d)")
_NUMBER_TOKEN_PATTERN = re.compile(_NUMBER_TOKEN)


def phone_e164(text: str, default_country: str = MEXICO) -> str | None:
    """'+52 55 1234 9876', '(55) 1234 9878', '521 55 1234 9876', 'whatsapp:+5215512349876' -> '+52…'.

    None for what is not a valid phone number (a session key, a year, a folio, a short number).
    """
    value = text.strip()
    if value.lower().startswith(WHATSAPP_PREFIX):
        value = value[len(WHATSAPP_PREFIX) :].strip()
    if not PHONE_TEXT.match(value):
        return None
    digits = re.sub(r"\D", "", value)
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    international = value.startswith("+")
    mexican_with_old_prefix = MEXICO + OLD_MEXICAN_MOBILE_PREFIX
    if digits.startswith(mexican_with_old_prefix) and len(digits) == len(mexican_with_old_prefix) + NATIONAL_DIGITS:
        digits, international = MEXICO + digits[len(mexican_with_old_prefix) :], True
    region = phonenumbers.region_code_for_country_code(int(default_country))
    try:
        number = phonenumbers.parse(f"+{digits}" if international else digits, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_or_id(value: str) -> str:
    """A sender in E.164 when it is a phone number, else the client's own id, as it came."""
    return phone_e164(value) or value


def phone_spans(text: str) -> list[tuple[int, int]]:
    """Where phone numbers are in a text, in any format the API accepts, as (start, end) offsets."""
    spans = []
    for match in NUMBER_CLUSTER.finditer(text):
        spans.extend((match.start() + start, match.start() + end) for start, end in _phone_spans_in(match.group(0)))
    return spans


def _phone_spans_in(cluster: str) -> list[tuple[int, int]]:
    """The longest runs of groups, leftmost first, that make a phone; the rest (years, prices, ids) stays."""
    tokens = [(token.start(), token.end()) for token in _NUMBER_TOKEN_PATTERN.finditer(cluster)]
    spans, first = [], 0
    while first < len(tokens):
        last = next(
            (
                last
                for last in range(len(tokens), first, -1)
                if _is_phone(cluster[tokens[first][0] : tokens[last - 1][1]], one_group=last - first == 1)
            ),
            None,
        )
        if last is None:
            first += 1
            continue
        spans.append((tokens[first][0], tokens[last - 1][1]))
        first = last
    return spans


def _is_phone(span: str, *, one_group: bool) -> bool:
    if not MIN_DIGITS <= sum(char.isdigit() for char in span) <= MAX_DIGITS:
        return False
    # 10 to 15 digits in a row or after a "+" are a phone as channels send it; grouped digits must be
    # a valid number, so "2021 2022 2023" or an IP address is left alone.
    return one_group or span.startswith("+") or phone_e164(span) is not None
