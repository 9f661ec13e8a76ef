"""Languages and translations: Lang:, translations, hreflang, the theme's catalogues.

The translations fixture (tests/fixtures/translations/) holds a reviewed
English article, its unreviewed Spanish translation and an Arabic article (a
language the theme has no catalogue for); its LANGUAGE_SETTINGS fill in the
clinic's Spanish words with fixture text.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
import re
import shutil
from types import SimpleNamespace

from content_schema import check_content
from content_schema.languages import direction, suggest
from i18n.i18n import CatalogueError, format_date, load_catalogues, translate
from i18n.settings import problems as language_settings_problems
from markupsafe import Markup
from pelican.settings import read_settings
from pelican.utils import process_translations
import pytest

from tests.support import (
    DEV_SETTINGS,
    LANGUAGE_SETTINGS,
    PUBLISH_SETTINGS,
    ROOT,
    TRANSLATIONS_CONTENT,
    build,
    text,
)
from tests.test_html_valid import vnu_errors

CATALOGUES = ROOT / "theme" / "translations"
TEMPLATES = ROOT / "theme" / "templates"
ENGLISH = "first-visit/"
SPANISH = "es/first-visit/"
ARABIC = "ar/arabic-only/"


@pytest.fixture(scope="module")
def catalogues() -> dict:
    return load_catalogues(CATALOGUES)


def _posting(soup) -> dict:
    for script in soup.select('script[type="application/ld+json"]'):
        data = json.loads(script.string)
        if data.get("@type") == "BlogPosting":
            return data
    raise AssertionError("no BlogPosting")


# --- the language table ---------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        *[(code, "rtl") for code in ("ar", "he", "fa", "ur", "ar-EG")],
        *[(code, "ltr") for code in ("en", "es", "en-US", "zh")],
    ],
)
def test_direction_of_a_language(code, expected):
    assert direction(code) == expected


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        *[(word, "es") for word in ("spanish", "Español", "espanol", "ES")],
        *[(word, "es") for word in ("es-MX", "spansh")],
        ("Arabic", "ar"),
        ("english", "en"),
    ],
)
def test_suggest_finds_the_language_a_writer_meant(written, meant):
    assert suggest(written).code == meant


def test_suggest_gives_nothing_for_no_language():
    assert suggest("klingonese") is None


# --- the check -------------------------------------------------------------------

ARTICLE = """Title: A Translated Fixture
Date: 2026-02-01
Summary: A fixture article whose front matter passes every rule of the schema.
Author: Fixture Writer
Category: Research
Slug: translated-fixture
{extra}
Some text.
"""


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(TRANSLATIONS_CONTENT, content)
    return content


def _check(content: Path, **overrides):
    settings = read_settings(
        str(DEV_SETTINGS),
        override={
            "PATH": str(content),
            "LANGUAGE_SETTINGS": LANGUAGE_SETTINGS,
            **overrides,
        },
    )
    return check_content(settings)


def _write(content: Path, name: str, extra: str) -> None:
    (content / "articles" / name).write_text(ARTICLE.format(extra=extra))


def test_translations_fixture_passes_the_check(tmp_path):
    assert _check(_content(tmp_path)).problems == []


def test_a_language_written_as_a_word_is_named_with_its_code(tmp_path):
    content = _content(tmp_path)
    _write(content, "case.md", "Lang: spanish\n")
    assert [str(p) for p in _check(content).problems] == [
        "content/articles/case.md:7: lang: 'spanish' is not a language code the "
        "site knows; did you mean `Lang: es` (Spanish)? (codes: ar, en, es, fa, "
        "fr, he, hy, ja, ko, pt, ru, tl, ur, vi, zh)"
    ]


def test_same_slug_in_another_language_is_a_translation(tmp_path):
    content = _content(tmp_path)
    _write(content, "case.md", "")
    _write(content, "case.es.md", "Lang: es\n")
    result = _check(content)
    assert result.problems == []
    urls = {item.source: item.url for item in result.items}
    assert urls["content/articles/case.md"] == "translated-fixture/"
    assert urls["content/articles/case.es.md"] == "es/translated-fixture/"


def test_same_slug_in_the_same_language_names_both_files(tmp_path):
    content = _content(tmp_path)
    _write(content, "case-a.md", "Lang: es\n")
    _write(content, "case-b.md", "Lang: es\n")
    assert [str(p) for p in _check(content).problems] == [
        "content/articles/case-b.md:6: slug: gives the address "
        "/es/translated-fixture/, already used by content/articles/case-a.md, in "
        "the same language (es); set another `Slug:`, or, if one is a translation "
        "of the other, its `Lang:`"
    ]


def test_a_page_cannot_translate_an_article(tmp_path):
    content = _content(tmp_path)
    (content / "pages").mkdir(exist_ok=True)
    (content / "pages" / "case.md").write_text(
        "Title: Première visite\nSlug: first-visit\nLang: fr\n\nTexte.\n"
    )
    assert [str(p) for p in _check(content).problems] == [
        "content/pages/case.md:2: slug: gives the slug 'first-visit' of "
        "content/articles/first-visit.es.md, which is of another kind (articles): "
        "a translation must be the same kind; set another `Slug:`"
    ]


def test_placeholder_words_of_a_language_stop_its_published_pages(tmp_path):
    content = _content(tmp_path)
    settings = {"es": {**LANGUAGE_SETTINGS["es"], "CTA_TEXT": "TO FILL IN: x"}}
    result = _check(content, LANGUAGE_SETTINGS=settings)
    assert [str(p) for p in result.problems] == [
        "pelicanconf.py: LANGUAGE_SETTINGS: es: CTA_TEXT still say TO FILL IN; the "
        "clinic's own words in this language go there before "
        "content/articles/first-visit.es.md can be published (or keep `Status: "
        "draft` until they are)"
    ]


def test_placeholder_words_of_a_language_are_a_todo_while_drafts(tmp_path):
    content = _content(tmp_path)
    spanish = content / "articles" / "first-visit.es.md"
    spanish.write_text(
        spanish.read_text().replace("Lang: es\n", "Lang: es\nStatus: draft\n")
    )
    settings = {"es": {**LANGUAGE_SETTINGS["es"], "CTA_TEXT": "TO FILL IN: x"}}
    result = _check(content, LANGUAGE_SETTINGS=settings)
    assert result.problems == []
    assert [p.field for p in result.todos] == ["LANGUAGE_SETTINGS"]


def test_the_shipped_spanish_settings_are_still_to_fill_in():
    # The clinic's words are never guessed: until it gives them, they say so.
    settings = read_settings(str(DEV_SETTINGS))["LANGUAGE_SETTINGS"]["es"]
    for name in ("MEDICAL_DISCLAIMER", "TESTIMONIALS_DISCLOSURE", "CTA_TEXT"):
        assert settings[name].startswith("TO FILL IN")


# --- catalogues ----------------------------------------------------------------


def test_every_catalogue_has_the_same_keys(catalogues):
    assert set(catalogues) >= {"en", "es"}
    english = set(catalogues["en"])
    for lang, catalogue in catalogues.items():
        assert set(catalogue) == english, lang


def test_every_key_a_template_asks_for_is_in_the_catalogue(catalogues):
    asked = set()
    for template in TEMPLATES.rglob("*.html"):
        asked |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", template.read_text()))
    assert asked, "no template uses t()"
    assert asked <= set(catalogues["en"])


# A text node or a human-readable attribute with a word in it, once Jinja's
# tags, expressions and comments are gone: English the catalogue should hold.
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
_TEXT_NODE = re.compile(r">([^<>]*[A-Za-z]{2,}[^<>]*)<")
_LABEL = re.compile(r'(?:aria-label|alt|title|placeholder)="([^"{]*[A-Za-z]{2,}[^"]*)"')
_UNTRANSLATED = {"robots.txt"}  # for crawlers, not readers
# Words that are no language: citation identifiers, feed formats, and the
# header line a writer types, quoted in the draft notice.
_NOT_WORDS = {"doi:", "PMID", "(Atom)", "(RSS)", "Status: draft"}
# Attributes a macro prints outside a tag (` data-pagefind-body`, ` lang=""`).
_ATTRIBUTE = re.compile(r"""\b[a-z-]+(?:="[^"]*")?""")


def _english(literal: str) -> bool:
    literal = literal.strip()
    if literal in _NOT_WORDS:
        return False
    if all(_ATTRIBUTE.fullmatch(word) for word in literal.split()):
        return False
    return bool(literal)


@pytest.mark.parametrize(
    "template",
    sorted(
        p.relative_to(TEMPLATES).as_posix()
        for p in TEMPLATES.rglob("*.html")
        if p.name not in _UNTRANSLATED
    ),
)
def test_no_template_prints_english_of_its_own(template):
    source = _JINJA.sub("", (TEMPLATES / template).read_text(encoding="utf-8"))
    literals = _TEXT_NODE.findall(source) + _LABEL.findall(source)
    assert [x.strip() for x in literals if _english(x)] == []


def test_dates_use_the_catalogue_month_names(catalogues):
    day = dt.date(2026, 5, 2)
    assert format_date(catalogues, "en", day) == "May 2, 2026"
    assert format_date(catalogues, "es", day) == "2 de mayo de 2026"


def test_a_catalogue_named_after_no_language_is_refused(tmp_path):
    shutil.copy(CATALOGUES / "en.yaml", tmp_path / "en.yaml")
    (tmp_path / "spanish.yaml").write_text("nav: {}\n")
    with pytest.raises(CatalogueError, match=r"spanish\.yaml.*es\.yaml"):
        load_catalogues(tmp_path)


def test_the_english_catalogue_is_required(tmp_path):
    shutil.copy(CATALOGUES / "es.yaml", tmp_path / "es.yaml")
    with pytest.raises(CatalogueError, match=r"en\.yaml"):
        load_catalogues(tmp_path)


# --- the built pages ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "lang", "dir_"),
    [(ENGLISH, "en", "ltr"), (SPANISH, "es", "ltr"), (ARABIC, "ar", "rtl")],
)
def test_page_language_sets_html_lang_dir_and_in_language(
    translations_site, url, lang, dir_
):
    soup = translations_site.soup(url)
    assert (soup.html["lang"], soup.html["dir"]) == (lang, dir_)
    assert _posting(soup)["inLanguage"] == lang


def test_site_pages_are_in_the_default_language(translations_site):
    assert translations_site.soup("").html["lang"] == "en"
    assert translations_site.soup("").html["dir"] == "ltr"


@pytest.mark.parametrize("url", [ENGLISH, SPANISH])
def test_hreflang_names_every_version_and_x_default(translations_site, url):
    links = {
        link["hreflang"]: link["href"]
        for link in translations_site.soup(url).select(
            'link[rel="alternate"][hreflang]'
        )
    }
    assert links == {"en": "/first-visit/", "es": "/es/first-visit/"} | {
        "x-default": "/first-visit/"
    }


def test_a_page_without_translations_has_no_hreflang_nor_switcher(translations_site):
    soup = translations_site.soup(ARABIC)
    assert soup.select("link[hreflang]") == []
    assert soup.select(".language-switcher") == []
    assert soup.select('meta[property="og:locale:alternate"]') == []


@pytest.mark.parametrize(("url", "other"), [(ENGLISH, "es_ES"), (SPANISH, "en_US")])
def test_og_locale_alternate_names_the_translations(translations_site, url, other):
    metas = translations_site.soup(url).select('meta[property="og:locale:alternate"]')
    assert [m["content"] for m in metas] == [other]


def test_switcher_links_each_translation_in_its_own_language(
    translations_site, catalogues
):
    switcher = translations_site.soup(ENGLISH).select_one("nav.language-switcher")
    assert switcher["aria-label"] == catalogues["en"]["language_switcher.label"]
    (link,) = switcher.select("a")
    assert (link["href"], link["hreflang"], link["lang"]) == (
        "/es/first-visit/",
        "es",
        "es",
    )
    assert text(link) == "Español"
    current = switcher.select_one('[aria-current="page"]')
    assert (text(current), current["lang"]) == ("English", "en")


def test_spanish_page_has_spanish_chrome(translations_site, catalogues):
    soup = translations_site.soup(SPANISH)
    es = catalogues["es"]
    switcher = soup.select_one("nav.language-switcher")
    assert switcher["aria-label"] == es["language_switcher.label"]
    assert text(switcher.select_one("a")) == "English"
    nav = soup.select_one(".site-header__nav")
    assert nav["aria-label"] == es["nav.main"]
    assert text(nav.select_one("a")) == es["nav.articles"]
    assert text(soup.select_one(".skip-link")) == es["skip_link"]
    assert text(soup.select_one(".reviewer-byline")) == es["review.not_reviewed"]
    published = es["article.published"].format(
        date=format_date(catalogues, "es", dt.date(2026, 1, 10))
    )
    assert published in text(soup.select_one(".article-meta"))
    # Spanish chrome on a Spanish page: nothing needs its own lang.
    assert soup.select("body [lang]:not(.language-switcher *)") == []


def test_spanish_page_shows_the_clinic_words_of_its_language(translations_site):
    soup = translations_site.soup(SPANISH)
    es = LANGUAGE_SETTINGS["es"]
    assert es["MEDICAL_DISCLAIMER"] in text(soup.select_one(".disclaimer"))
    assert text(soup.select_one("#cta-heading")) == es["CTA_HEADING"]
    assert text(soup.select_one("#crisis-resources-heading")) == es["CRISIS_HEADING"]


def test_review_status_is_each_translations_own(translations_site, catalogues):
    english = text(translations_site.soup(ENGLISH).select_one(".reviewer-byline"))
    spanish = text(translations_site.soup(SPANISH).select_one(".reviewer-byline"))
    assert english.startswith("Medically reviewed by Fixture Reviewer")
    assert spanish == catalogues["es"]["review.not_reviewed"]
    english_data = translations_site.soup(ENGLISH).select(
        'script[type="application/ld+json"]'
    )
    spanish_data = translations_site.soup(SPANISH).select(
        'script[type="application/ld+json"]'
    )
    assert "MedicalWebPage" in " ".join(s.string for s in english_data)
    assert "MedicalWebPage" not in " ".join(s.string for s in spanish_data)


def test_english_chrome_on_an_arabic_page_is_marked_english(translations_site):
    soup = translations_site.soup(ARABIC)
    for selector in (".skip-link", ".site-header", ".site-footer", ".article-meta"):
        region = soup.select_one(selector)
        assert (region["lang"], region["dir"]) == ("en", "ltr"), selector
    for selector in (".reviewer-byline", ".disclaimer", ".breadcrumbs", ".cta"):
        assert soup.select_one(selector)["lang"] == "en", selector
    # The writer's own text stays in the page's language.
    assert not soup.select_one(".article__body").has_attr("lang")
    assert soup.select_one(".article__body").find_parent(attrs={"lang": "en"}) is None


# --- crisis resources -----------------------------------------------------------


def _actions(soup, selector: str) -> list[str]:
    return [a["href"] for a in soup.select(f"{selector} a")]


@pytest.mark.parametrize("selector", [".crisis-resources", ".crisis-block"])
def test_every_crisis_action_is_a_link(translations_site, selector):
    assert _actions(translations_site.soup(ENGLISH), selector) == [
        "tel:988",
        "sms:988",
        "https://988lifeline.org/",
        "tel:911",
    ]


def test_crisis_links_say_what_they_do(translations_site):
    links = translations_site.soup(ENGLISH).select(".crisis-resources a")
    assert [text(a) for a in links] == [
        "Call 988",
        "Text 988",
        "Chat at 988lifeline.org",
        "Call 911",
    ]


def test_spanish_page_has_its_languages_crisis_links(translations_site):
    links = translations_site.soup(SPANISH).select(".crisis-resources a")
    expected = LANGUAGE_SETTINGS["es"]["CRISIS_RESOURCES"][0]["actions"]
    assert [(text(a), a["href"]) for a in links] == [
        (action["label"], action["href"]) for action in expected
    ]


def test_every_page_in_every_language_is_valid_html(translations_site):
    assert vnu_errors(translations_site.output) == []


def test_translations_without_an_original_in_the_default_language(tmp_path):
    content = _content(tmp_path)
    _write(content, "case.es.md", "Lang: es\n")
    _write(content, "case.ar.md", "Lang: ar\n")
    assert [str(p) for p in _check(content).problems] == [
        "content/articles/case.es.md: lang: is a translation of "
        "content/articles/case.ar.md (the same slug, 'translated-fixture'), but "
        "neither is in the site's language (en); translations need the en "
        "original: add it, or give one of them another `Slug:`"
    ]


def test_pelican_agrees_translations_need_an_original(caplog):
    # What the check refuses above is what Pelican itself warns about (and a
    # --fatal build stops on); with an English original it is silent.
    def version(lang: str) -> SimpleNamespace:
        return SimpleNamespace(
            slug="same",
            lang=lang,
            in_default_lang=lang == "en",
            metadata={},
            source_path=f"same.{lang}.md",
        )

    process_translations([version("es"), version("ar")], "slug")
    assert "original" in caplog.text
    caplog.clear()
    index, translations = process_translations([version("es"), version("en")], "slug")
    assert caplog.text == ""
    assert [v.lang for v in index] == ["en"]
    assert [v.lang for v in translations] == ["es"]


def test_catalogue_text_and_values_are_escaped(catalogues):
    hostile = {"en": {"x": "A & B {name}"}}
    assert translate(hostile, "en", "x", name="<script>") == (
        "A &amp; B &lt;script&gt;"
    )
    # A value the template marked safe (a macro's markup) is kept as is.
    assert translate(hostile, "en", "x", name=Markup("<time>")) == "A &amp; B <time>"


def test_a_key_missing_from_a_catalogue_falls_back_to_english(catalogues):
    partial = {"en": catalogues["en"], "es": {}}
    assert translate(partial, "es", "nav.main") == catalogues["en"]["nav.main"]
    with pytest.raises(KeyError):
        translate(partial, "es", "nav.no_such_key")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"spanish": {}}, "LANGUAGE_SETTINGS names spanish"),
        ({"es": "Hola"}, "must map a language code to its settings"),
    ],
)
def test_language_settings_that_cannot_work_are_named(value, message):
    found = language_settings_problems({"LANGUAGE_SETTINGS": value})
    assert message in found["LANGUAGE_SETTINGS"]


def test_a_hostile_lang_value_is_refused(tmp_path):
    content = _content(tmp_path)
    _write(content, "case.md", 'Lang: en" onload="x\n')
    (problem,) = _check(content).problems
    assert (problem.field, problem.line) == ("lang", 7)


def test_a_translation_has_its_own_share_image_and_reading_time(translations_site):
    soup = translations_site.soup(SPANISH)
    image = soup.select_one('meta[property="og:image"]')
    assert image is not None
    assert (
        image["content"]
        != translations_site.soup(ENGLISH).select_one('meta[property="og:image"]')[
            "content"
        ]
    )
    assert "min" in text(soup.select_one(".article-meta"))


@pytest.mark.parametrize("settings_file", [DEV_SETTINGS, PUBLISH_SETTINGS])
def test_a_draft_translation_is_previewed_but_never_published(tmp_path, settings_file):
    content = _content(tmp_path)
    spanish = content / "articles" / "first-visit.es.md"
    spanish.write_text(
        spanish.read_text().replace("Lang: es\n", "Lang: es\nStatus: draft\n")
    )
    output = build(
        content, tmp_path / "output", settings_file, LANGUAGE_SETTINGS=LANGUAGE_SETTINGS
    )
    draft = output / "drafts" / "es" / "first-visit" / "index.html"
    assert draft.is_file() == (settings_file == DEV_SETTINGS)
    assert not (output / "es" / "first-visit").exists()


def test_the_publish_settings_empty_every_draft_address():
    # A DRAFT_*_SAVE_AS left set in publishconf.py publishes those drafts.
    dev, publish = (
        read_settings(str(DEV_SETTINGS)),
        read_settings(str(PUBLISH_SETTINGS)),
    )
    drafts = [
        name for name in dev if name.startswith("DRAFT") and name.endswith("SAVE_AS")
    ]
    assert len(drafts) >= 4
    assert {name: publish[name] for name in drafts} == dict.fromkeys(drafts, "")


@pytest.mark.parametrize(
    ("slug", "refused"), [("ES", True), ("ar", True), ("esp", False)]
)
def test_an_english_slug_may_not_take_a_languages_folder(tmp_path, slug, refused):
    content = _content(tmp_path)
    english = content / "articles" / "first-visit.md"
    english.write_text(
        english.read_text().replace("Slug: first-visit", f"Slug: {slug}")
    )
    messages = [str(p) for p in _check(content).problems]
    folder = [m for m in messages if "the folder of the pages in" in m]
    assert bool(folder) == refused, messages
