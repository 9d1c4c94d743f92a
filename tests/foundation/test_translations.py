"""English and Romanian complete: every Romanian catalogue translates every message."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/ro/LC_MESSAGES/django.po") if ".venv" not in p.parts
)

# An entry: optional comments/flags, msgid (possibly multi-line), optional plural, msgstr(s).
ENTRY = re.compile(
    r'((?:#.*\n)*)msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)'
)


def _joined(quoted: str) -> str:
    return "".join(re.findall(r'"(.*)"', quoted))


def test_there_is_a_catalogue_for_every_app():
    apps = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    assert {"locale", "accounts", "projects", "twinspace", "labels"} <= apps


@pytest.mark.parametrize(
    "catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT))
)
def test_every_message_is_translated_to_romanian(catalogue):
    text = catalogue.read_text(encoding="utf-8")
    untranslated, fuzzy = [], []
    for comments, msgid, msgstrs in ENTRY.findall(text + "\n"):
        source = _joined(msgid)
        if not source:
            continue  # the header
        if "#, fuzzy" in comments or ", fuzzy" in comments:
            fuzzy.append(source)
        translations = re.findall(r"msgstr(?:\[\d\])? ((?:\".*\"\n)+)", msgstrs)
        if any(not _joined(t) for t in translations):
            untranslated.append(source)
    assert not untranslated, f"untranslated in {catalogue}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {catalogue}: {fuzzy[:10]}"
