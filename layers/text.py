"""Text normalisation shared by designations and address search.

Swedish names arrive in every shape: upper or lower case, with composed (``Ö``, U+00D6) or
decomposed (``O`` + U+0308) letters, with extra or missing spaces. :func:`normalise` gives the
canonical stored form; :func:`fold` gives the search key, which also ignores accents so that
``Storvagen`` finds ``Storvägen``.

>>> normalise("  sundsvall   sko\u0308nsmon ")
'SUNDSVALL SKÖNSMON'
>>> fold("Storvägen  14 A")
'storvagen 14 a'
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")

#: Width numbers are zero-padded to in search keys, so that keys sort in numeric order.
NUMBER_WIDTH = 5


def normalise(text: str) -> str:
    """Upper case, Unicode NFC, single spaces, no leading or trailing space.

    >>> normalise("Lärkan") == normalise("La\u0308rkan") == "LÄRKAN"
    True
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().upper()


def fold(text: str) -> str:
    """Lower case, accents removed, single spaces: the form search keys are compared in.

    >>> fold("ÖSTRA Ågatan"), fold("o\u0308stra  a\u030agatan")
    ('ostra agatan', 'ostra agatan')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare).strip()


def pad(number: int | str) -> str:
    """A number zero-padded for search keys.

    >>> pad(14), pad("3")
    ('00014', '00003')
    """
    return str(number).zfill(NUMBER_WIDTH)


def number_prefixes(digits: str) -> list[str]:
    """Key prefixes for a number typed so far, the exact number first, then longer numbers.

    ``"1"`` is exactly 1 (``00001``), or 10–19 (``0001``), 100–199 (``001``) and so on.

    >>> number_prefixes("1")
    ['00001', '0001', '001', '01', '1']
    >>> number_prefixes("")
    ['']
    """
    if not digits:
        return [""]
    digits = digits.lstrip("0") or "0"
    if len(digits) >= NUMBER_WIDTH:
        return [digits]
    free = NUMBER_WIDTH - len(digits)
    return [pad(digits)] + ["0" * (free - extra) + digits for extra in range(1, free + 1)]
