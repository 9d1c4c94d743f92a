"""Text normalisation used to compare names (R3: a school is never registered twice)."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")


def name_key(value: str) -> str:
    """Case-, accent-, punctuation- and whitespace-insensitive key of a name.

    "Liceul  Teoretic «Mihai Eminescu»" and "liceul teoretic mihai eminescu" share a key.
    """
    # casefold first, so that upper-case letters without a decomposition (Ł, Ø) meet the
    # lower-case table below.
    decomposed = unicodedata.normalize("NFKD", (value or "").casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # A few letters have no decomposition.
    stripped = stripped.translate(
        str.maketrans(
            {"ı": "i", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe"}
        )
    )
    lowered = _PUNCT.sub(" ", stripped)
    return _SPACES.sub(" ", lowered).strip()
