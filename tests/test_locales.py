"""Locales: every shipped language has every label, twelve months, and writes dates its own way."""

from __future__ import annotations

import pytest

from cvpress import locales

SHIPPED = ("en", "fr", "de", "es", "pt", "it", "nl", "pl", "sv", "zh", "ja")


@pytest.mark.parametrize("code", locales.known())
def test_every_language_has_every_label_and_month(code):
    locale = locales.get(code)
    assert set(locale.labels) == {*locales.SECTION_KEYS, "present", "score"}
    assert all(v.strip() for v in locale.labels.values())
    assert len(locale.months) == 12 and len(set(locale.months)) == 12


def test_the_issue_s_languages_ship():
    assert set(SHIPPED) <= set(locales.known())


@pytest.mark.parametrize("code, year, month, shown", [
    ("en", 2016, 5, "May 2016"), ("fr", 2016, 2, "févr. 2016"), ("de", 2016, 3, "März 2016"),
    ("zh", 2016, 5, "2016年5月"), ("ja", 2016, 0, "2016年"), ("ko", 2016, 5, "2016년 5월"), ("pl", 2016, 0, "2016"),
])
def test_dates_are_written_the_language_s_way(code, year, month, shown):
    assert locales.get(code).date(year, month) == shown


def test_a_regional_tag_keeps_its_region_for_the_pdf_and_the_labels_of_its_language():
    locale = locales.get("fr-CA")
    assert locale.code == "fr-CA" and locale.labels == locales.get("fr").labels
    with pytest.raises(KeyError):
        locales.get("tlh")
