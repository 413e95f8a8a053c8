"""The estimate page speaks the reader's language: provenance, warnings, library messages,
and catalogues with nothing left untranslated or fuzzy."""

from __future__ import annotations

import gettext
import html
import re
from pathlib import Path

import pytest
from django.utils import translation

from lantern.accounts.models import Role
from lantern.estimation import CaptureTable, estimate
from lantern.linkage.models import LinkRun
from lantern.monitoring import mart
from lantern.monitoring.estimates import estimation_message
from lantern.recordlinkage.quality import linkage_quality
from tests import factories
from tests.monitoring.test_estimates import world  # noqa: F401  (the shared fixture)

LOCALE = Path(__file__).resolve().parents[2] / "src" / "lantern" / "locale"

#: A sparse three-list table on which the library itself emits four warnings, two with numbers
#: or list names in them (models left out, lists that never overlap).
SPARSE = {(1, 0, 0): 300, (0, 1, 0): 280, (0, 0, 1): 250, (1, 1, 0): 2, (1, 0, 1): 1}


def _library_warnings() -> tuple[str, ...]:
    table = CaptureTable.from_histories(("A", "B", "C"), list(SPARSE.items()))
    return estimate(table, method="aic").warnings


def test_every_warning_the_library_really_emits_is_translated() -> None:
    emitted = _library_warnings()
    assert any(re.match(r"\d+ of \d+ models failed", w) for w in emitted)
    assert any(w.startswith("lists never overlap (B:C)") for w in emitted)
    for lang in ("fr", "es"):
        with translation.override(lang):
            shown = [estimation_message(w) for w in emitted]
        assert not set(shown) & set(emitted), lang  # none left in English
    with translation.override("fr"):
        fr = " | ".join(estimation_message(w) for w in emitted)
    # How many models fail is the library's finding ([12,13] has no MLE here: its A=0 slice is
    # saturated with an empty cell; a solver's tolerance has called it either way), so the
    # translation is checked against the count the library gave, singular or plural.
    failed = next(int(m[1]) for w in emitted if (m := re.match(r"(\d+) of 8 models failed", w)))
    assert (
        "1 modèle sur 8 n'a pas passé le contrôle d'existence"
        if failed == 1
        else f"{failed} modèles sur 8 n'ont pas passé le contrôle d'existence"
    ) in fr
    assert "des listes ne se recoupent jamais (B:C) : leur terme est ajusté à moins" in fr
    assert "le chiffre noir dépasse dix fois l'effectif observé" in fr
    with translation.override("es"):
        es = " | ".join(estimation_message(w) for w in emitted)
    assert f"{failed} de 8 modelos no super{'ó' if failed == 1 else 'aron'} la comprobación" in es
    assert "la cifra oculta supera diez veces lo observado" in es


def test_a_library_message_with_numbers_takes_the_plural_of_its_own_count() -> None:
    message = "3 bootstrap replicates had no valid model and were dropped"
    with translation.override("fr"):
        assert estimation_message(message) == (
            "3 répétitions bootstrap n'avaient aucun modèle valide et ont été écartées"
        )
    with translation.override("es"):
        assert estimation_message(
            "1 of 12 models failed the existence or identifiability check and were left out"
        ) == (
            "1 de 12 modelos no superó la comprobación de existencia o identificabilidad y se "
            "dejó fuera"
        )
        assert estimation_message(message).startswith("3 réplicas bootstrap no tuvieron")


def test_english_readers_see_the_library_words_unchanged() -> None:
    with translation.override("en"):
        for w in _library_warnings():
            if not w.startswith("1 of "):  # the singular reads "was left out", not "were"
                assert estimation_message(w) == w


def test_an_unknown_message_passes_through_unchanged() -> None:
    new = "a warning the library learned after this mapping was written (42 of 7)"
    with translation.override("fr"):
        assert estimation_message(new) == new
        # a known message with trailing words is not the known message
        longer = "dark figure exceeds ten times the observed: the estimate is fragile, twice"
        assert estimation_message(longer) == longer


@pytest.mark.django_db
def test_the_estimate_page_shows_provenance_and_warnings_in_french_and_spanish(client, world):  # noqa: F811
    # the run's own model expects its links to cover 39% of the pairs: the overstated warning
    quality = linkage_quality(0.0004, 5000, [0.97] * 2000, threshold=0.9)
    LinkRun.objects.update(model={"quality": quality.to_dict()})
    mart.build()
    client.force_login(factories.user("an", Role.ANALYST, agency_code=None, team=None))
    url = "/statistics/estimate/?method=main&level=0.95&bootstrap=0"

    def page(lang: str) -> str:
        res = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
        assert res.status_code == 200
        return html.unescape(res.content.decode())

    recall = f"{quality.expected_recall:.0%}".replace("%", " %")  # 39 %, the run's own figure
    fr = page("fr")
    for phrase in (
        "premiers dossiers – derniers dossiers",  # period
        "appariement n° ",  # linkage line
        "enfants ; en acceptant aussi les liens incertains (p >= 0,5) : ",  # French decimal
        "sans extrapolation au-delà des lieux et des populations",  # scope
        "lisez-la comme une borne inférieure",  # warning built in monitoring
        # the linkage quality, rebuilt from its numbers, grouped the French way (2 000)
        f"les 2\xa0000 liens établis devraient couvrir {recall} d'entre elles",
        "le chiffre noir et l'estimation sont surévalués",
        "l'intervalle ignore l'incertitude du choix du modèle",  # library warning
        "normal sur le logarithme du chiffre noir, conditionnel au modèle",  # interval method
    ):
        assert phrase in fr, phrase
    for english in ("lower bound", "start of records", "overstated", "model-conditional"):
        assert english not in fr, english

    es = page("es")
    for phrase in (
        "primeros registros – últimos registros",
        "vinculación n.º ",
        "sin extrapolar más allá de los lugares",
        "léala como un límite inferior",
        f"sus 2\xa0000 vínculos cubran el {recall} de ellos",
        "la cifra oculta y la estimación están sobrestimadas",
        "el intervalo no tiene en cuenta la incertidumbre de la elección del modelo",
        "normal sobre el logaritmo de la cifra oculta",
    ):
        assert phrase in es, phrase
    assert "lower bound" not in es and "overstated" not in es


def _entries(po: Path) -> list[tuple[str, str, list[str]]]:
    """The catalogue's entries as (flags, msgid, msgstr forms): enough to judge them."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        flags, msgid, forms = "", "", []
        into: str | None = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += line
                continue
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" ")
            if head == "msgid":
                into, text = "msgid", rest
            elif head == "msgid_plural":
                into, text = None, rest
            elif head.startswith("msgstr"):
                into, text = "msgstr", rest
                forms.append("")
            else:
                text = line
            if into == "msgid":
                msgid += text.strip().strip('"')
            elif into == "msgstr":
                forms[-1] += text.strip().strip('"')
        if msgid:
            entries.append((flags, msgid, forms))
    return entries


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_catalogues_have_no_untranslated_or_fuzzy_entries_and_are_compiled(lang: str) -> None:
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    entries = _entries(po)
    assert len(entries) > 700
    assert [msgid for flags, msgid, _ in entries if "fuzzy" in flags] == []
    assert [msgid for _, msgid, forms in entries if not all(forms)] == []
    with open(po.with_suffix(".mo"), "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    # the .mo holds this page's sentences, so the page does not fall back to English
    for msgid in (
        "all children",
        "records NOT linked across agencies",
        "normal, variances of stratum intervals added",
    ):
        assert compiled.gettext(msgid) != msgid, msgid
