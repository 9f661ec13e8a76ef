"""Development settings: what `make html` and `make serve` build.

`publishconf.py` imports everything here and overrides only what production
needs. Every setting is also a template global (Pelican puts the settings into
the template context), which is how the theme partials read them.

Settings marked "TO FILL IN" are facts only the clinic can give. They hold
obvious placeholders until then; never replace them with a guess.
"""

# --- Site -------------------------------------------------------------------
SITENAME = "Nushama Blog"
SITE_DESCRIPTION = (
    "Articles from Nushama about ketamine therapy and mental health, "
    "written for patients and the people who care for them."
)
# Byline used when an article names no author. A team, not an invented person.
AUTHOR = "Editorial team"
SITEURL = ""  # root-relative links for the local preview; publishconf sets it
# The language of every article and page without `Lang:` (plugins/i18n).
DEFAULT_LANG = "en"
# TO FILL IN: the clinic's own time zone (tz database name). UTC until then.
TIMEZONE = "UTC"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

# --- The clinic (call to action, footer) ---------------------------------------
CLINIC_NAME = "Nushama"
# TO FILL IN: the clinic's real contact page. The reserved `.example` domain
# makes the placeholder obvious and can never reach a real site.
CLINIC_CONTACT_URL = "https://clinic.example/contact"

# Call to action closing every article (theme/templates/partials/cta.html).
# The wording is the clinic's own, from its original article.
CTA_HEADING = "Discover What Psychedelic Medicine Can Do for You"
CTA_TEXT = (
    "To transcend depression, anxiety, alcohol use disorders, and trauma-induced "
    "mood disorders, Nushama offers IV ketamine for an ego-dissolving psychedelic "
    "experience. A holistic path of mindful intention setting, ketamine journeys, "
    "and thoughtful integration in safe, healing-focused settings empower members "
    "to reset and reconnect."
)
CTA_BLOG_LABEL = "Explore Our Blog"
CTA_CONTACT_LABEL = "Contact Nushama"

# Crisis resources in the footer of every page, linked from the header
# (partials/crisis_resources.html). United States services; a clinic elsewhere
# replaces them with its own country's. Each action is a link: a phone number
# (tel:), a text message (sms:) or a web page, so every device can act on one.
CRISIS_HEADING = "If you are in crisis"
CRISIS_RESOURCES = (
    {
        "name": "988 Suicide & Crisis Lifeline",
        "actions": (
            {"label": "Call 988", "href": "tel:988"},
            {"label": "Text 988", "href": "sms:988"},
            {"label": "Chat at 988lifeline.org", "href": "https://988lifeline.org/"},
        ),
    },
    {
        "name": "Emergency services",
        "actions": ({"label": "Call 911", "href": "tel:911"},),
        "note": "if you or someone else is in immediate danger",
    },
)

# --- Languages (plugins/i18n) ---------------------------------------------------
# The clinic's own words and the crisis services, per language, for pages in
# that language (`Lang:`); a setting not listed, or a language not listed,
# keeps the English one above. The theme's own strings (navigation, labels,
# dates) are in theme/translations/<lang>.yaml. Crisis-line facts are cited
# next to each; the clinic's words are TO FILL IN: a page in a language whose
# settings still hold "TO FILL IN" shows that placeholder, and cannot be
# published (the check names the setting).
LANGUAGE_SETTINGS = {
    "es": {
        "CRISIS_HEADING": "Si está en crisis",
        "CRISIS_RESOURCES": (
            {
                "name": "988 Suicide & Crisis Lifeline",
                "actions": (
                    # Calls: "Spanish-language (Press 2)"; texts: "Spanish-
                    # language (text AYUDA)"; chat and text in Spanish:
                    # https://988lifeline.org/get-help/what-to-expect
                    {"label": "Llame al 988 y marque 2 (español)", "href": "tel:988"},
                    {"label": "Envíe AYUDA por texto al 988", "href": "sms:988"},
                    {
                        "label": "Chat en 988lifeline.org",
                        "href": "https://988lifeline.org/",
                    },
                ),
            },
            {
                # "En los Estados Unidos, llame al 911 para comunicarse con los
                # servicios médicos de emergencia":
                # https://healthychildren.org/spanish/health-issues/injuries-emergencies/paginas/when-to-call-emergency-medical-services-ems.aspx
                "name": "Servicios de emergencia",
                "actions": ({"label": "Llame al 911", "href": "tel:911"},),
                "note": "si usted u otra persona está en peligro inmediato",
            },
        ),
        # TO FILL IN: the clinic's own words in Spanish, approved by its
        # clinicians and counsel; never a machine or guessed translation.
        "MEDICAL_DISCLAIMER": "TO FILL IN: the medical disclaimer in Spanish",
        "TESTIMONIALS_DISCLOSURE": (
            "TO FILL IN: the testimonial disclosure in Spanish"
        ),
        "OFF_LABEL_NOTES": (
            {
                "terms": ("ketamine", "ketamina"),
                "text": "TO FILL IN: the note on ketamine's approval in Spanish",
            },
        ),
        "RISKS_NOTES": (
            {
                "terms": ("ketamine", "ketamina"),
                "text": "TO FILL IN: the standard risks text in Spanish",
            },
        ),
        "CTA_HEADING": "TO FILL IN: the call to action's heading in Spanish",
        "CTA_TEXT": "TO FILL IN: the call to action in Spanish",
        "CTA_BLOG_LABEL": "TO FILL IN: “Explore Our Blog” in Spanish",
        "CTA_CONTACT_LABEL": "TO FILL IN: “Contact Nushama” in Spanish",
    },
}

# --- Paths ------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Content folders carry a README.md for writers; it is guidance, not a page.
# ".*": hidden files are never published (the check also names them).
IGNORE_FILES = [".#*", ".*", "README.md"]
STATIC_PATHS = ["images", "extra"]
# robots.txt is written by the seo plugin from theme/templates/robots.txt. A
# custom domain for GitHub Pages goes in content/extra/CNAME (one line, the
# domain); deploys keep the CNAME already on gh-pages when there is none.
EXTRA_PATH_METADATA = {"extra/CNAME": {"path": "CNAME"}}

# --- URLs -------------------------------------------------------------------
# Clean, directory-style URLs. Every *_URL ends in "/" and its *_SAVE_AS in
# "/index.html", so the same output works on any static host.
INDEX_URL = ""  # the home page is "/", never "/index.html"
INDEX_SAVE_AS = "index.html"
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# An article or page in another language than DEFAULT_LANG, e.g. /es/slug/.
# Pelican makes a file with the same slug and another `Lang:` a translation.
ARTICLE_LANG_URL = "{lang}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
DRAFT_LANG_URL = "drafts/{lang}/{slug}/"
DRAFT_LANG_SAVE_AS = "drafts/{lang}/{slug}/index.html"
DRAFT_PAGE_LANG_URL = "drafts/pages/{lang}/{slug}/"
DRAFT_PAGE_LANG_SAVE_AS = "drafts/pages/{lang}/{slug}/index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = "authors/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
# Per-year/month archives are not part of the theme.
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""

# "404" renders theme/templates/404.html to /404.html, which hosts serve for
# missing paths; "search" is the search page (plugins/search builds its index).
DIRECT_TEMPLATES = [
    "index",
    "tags",
    "categories",
    "authors",
    "archives",
    "404",
    "search",
]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"

# --- Pagination ---------------------------------------------------------------
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None}
# Directory patterns: the default "{name}{number}" lets tag "a1" page 3 collide
# with tag "a13" (getpelican/pelican#2754, #2806).
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# --- Feeds ------------------------------------------------------------------
# None in the local preview; publishconf.py turns the site-wide feeds on.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# --- Markdown ---------------------------------------------------------------
# Setting MARKDOWN replaces Pelican's defaults (pelican-plugins#871): these are
# the defaults plus `toc`, which gives section headings the ids that the table
# of contents links to. Tables write a column's alignment (`|:--:|`) as
# `align`, not `style`, which the sanitizer removes; plugins/sanitize/prose.py
# turns it into a class the theme styles.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {"tables": {"use_align_attribute": True}},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# --- Typography -------------------------------------------------------------
# Typogrify also rewrites titles and summaries into HTML (getpelican/pelican#1930):
# templates therefore print `|plain` (plugins/theme_filters) wherever plain text
# is required.
TYPOGRIFY = True
TYPOGRIFY_DASHES = "oldschool"  # "--" en dash, "---" em dash

# --- Theme ------------------------------------------------------------------
THEME = "theme"
# Only the site's own origin, and no inline script: a health site loads no
# third-party fonts, scripts, analytics or embeds. In a meta tag on every page
# (GitHub Pages sets no headers) and in _headers for hosts that read it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)
# The search page alone runs a script, Pagefind's, which compiles WebAssembly.
# `_headers` sends this policy for every path (hosts merge rather than replace
# per-path policies); each page's meta tag narrows it back to the one above.
SEARCH_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"
)
HEADERS_CONTENT_SECURITY_POLICY = SEARCH_CONTENT_SECURITY_POLICY
# Search engines should not index a local or preview build; publishconf flips it.
SITE_NOINDEX = True

# --- Plugins ----------------------------------------------------------------
# Listed explicitly: an unset PLUGINS loads every installed pelican.plugins.*
# package, so installing one could silently change the build.
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "theme_filters",
    # The one reader of content, with writer HTML made inert; the check names
    # what it refuses with this plugin's lists.
    "sanitize",
    "content_schema",  # before any content is read: it checks all of it
    "build_cache",  # before images, which keeps its copies and cards in its cache
    "testimonials",
    "health",
    # Author profiles and the medical reviewers' pages; after health, whose
    # reviews it links, and before seo, whose JSON-LD describes the people.
    "people",
    # The page's language, the theme's strings in it and its translations;
    # before seo, whose PageMeta gives each page its language.
    "i18n",
    # After testimonials and health have put their markup into the text; before
    # seo, which reads the share image it picks for every article.
    "images",
    "seo",  # after health, whose review data its JSON-LD uses
    "pelican.plugins.sitemap",
    "assets",
    "navigation",
    "search",  # last: Pagefind reads the finished pages
    "manifest",  # after search: it lists every file written (plugins/manifest)
]

# Content schema (plugins/content_schema): the categories, tags and authors that
# articles may use, relative to PATH.
CONTENT_TAXONOMY_FILE = "taxonomy.yaml"

# Health (plugins/health, plugins/content_schema). Shared sources that articles
# cite as [@key], and the clinicians who review articles; relative to PATH.
CONTENT_REFERENCES_FILE = "references.yaml"
CONTENT_REVIEWERS_FILE = "reviewers.yaml"
# A review falls due again this many months after it took place.
MEDICAL_REVIEW_INTERVAL_MONTHS = 12
# True: articles in MENTAL_HEALTH_CATEGORIES cannot be published unreviewed.
MEDICAL_REVIEW_REQUIRED = False
# True: an article whose title, summary or text changed after its medical
# review cannot be published until the reviewer reads it again and `make review`
# records it (nor one whose review does not record which text was read). False:
# the page says "Updated on …; last medically reviewed on …" and `make check`
# warns. Set it in publishconf.py to refuse only at publishing.
MEDICAL_REVIEW_MUST_MATCH = False
# The categories about mental health. Their articles open with the crisis
# block, as do articles with one of CRISIS_TAGS.
MENTAL_HEALTH_CATEGORIES = ("Mental health",)
CRISIS_TAGS = ("PTSD", "depression", "anxiety", "trauma", "suicide")
# The US school grade an article's text should read at or below (a number from
# 1 to 18). `make check` and the pull-request comment give each article's grade
# (Flesch–Kincaid; Fernández-Huerta's scale for Spanish) and warn above it,
# without blocking. The AMA recommends patient material at about a 6th-grade
# reading level, and NIH guidance is usually cited as 8th grade (Rooney et al.,
# J Patient Exp 2021, doi:10.1177/2374373521998847). docs/writing.md, "Reading
# level", says how to bring a grade down.
READABILITY_TARGET_GRADE = 8
# Shown on every article (partials/disclaimer.html).
MEDICAL_DISCLAIMER = (
    "This article is for general education. It is not medical advice, and it does "
    "not replace care from a qualified clinician who knows your situation. Talk "
    "with your doctor before starting or changing any treatment."
)
# Shown on articles whose title, category or tags name one of the terms. The
# facts: ketamine is FDA-approved as an anesthetic; its psychiatric use is
# off-label; esketamine nasal spray is approved for treatment-resistant
# depression. The clinic's counsel should approve the wording.
OFF_LABEL_NOTES = (
    {
        "terms": ("ketamine",),
        "text": (
            "Ketamine is approved by the U.S. Food and Drug Administration (FDA) as "
            "an anesthetic. Its use for PTSD, depression and other mental health "
            "conditions is off-label: the FDA has not approved ketamine for any "
            "psychiatric disorder. A related medicine, esketamine nasal spray, is "
            "approved for treatment-resistant depression."
        ),
    },
)

# Shown as a "Risks and side effects" section on articles whose title, category
# or tags name one of the terms (plugins/health, partials/risks_note.html), and
# standing in for the article's own cited risks section in `make check`'s claim
# rules (plugins/content_schema/editorial.py). TO FILL IN by the clinic's medical
# reviewer: the risks and side effects of ketamine treatment, in plain words,
# with their sources. We write no medical text; until it is filled in, it is
# shown nowhere and `make check` lists it.
RISKS_NOTES = (
    {
        "terms": ("ketamine",),
        "text": (
            "TO FILL IN: the clinic's standard text on the risks and side effects "
            "of ketamine treatment, written and approved by its medical reviewer"
        ),
    },
)

# Images (plugins/images). Content images get copies this wide (never wider
# than the original), in WebP and in their own format.
IMAGES_WIDTHS = (480, 960, 1440)
# How wide the text column shows them, for the browser's choice of copy: 65ch of
# the 1.125rem body text (components/article.css), measured in Chromium as 46.5rem
# with DejaVu Sans, the widest common system font; below 48.5rem the column is
# the window less 1rem of padding on each side (base.css, .site-main).
IMAGES_SIZES = "(min-width: 48.5rem) 46.5rem, calc(100vw - 2rem)"

# Sitemap (pelican-sitemap): the pages search engines should know about.
SITEMAP = {
    "format": "xml",
    "exclude": ["^404\\.html$", "^drafts/", "^tag/", "^tags/", "^author/", "^authors/"],
}

# Testimonials (plugins/testimonials). Paths are relative to PATH.
TESTIMONIALS_PATH = "testimonials"
TESTIMONIALS_URL = "testimonials/"
TESTIMONIALS_SAVE_AS = "testimonials/index.html"
# What holds for every testimonial, shown after each one's own disclosure (how
# and when it was collected, any material connection: its `collection:` block,
# plugins/testimonials/disclosure.py). Say here only what is true of them all.
TESTIMONIALS_DISCLOSURE = (
    "Individual results vary. A patient’s account is not a clinical study and "
    "does not predict how treatment will work for you."
)
# What becomes of a testimonial whose consent does not allow web publication
# (pending, no website scope, expired, revoked):
#   "preview":  shown with a "not publishable" badge (local previews: here);
#   "withhold": left out of every page, feed, search index and JSON-LD, and
#               named with its reason as a warning (publishconf.py);
#   "refuse":   the build stops and names it (a clinic that prefers the site
#               not to change while a testimonial's paperwork is open).
TESTIMONIALS_WITHOUT_CONSENT = "preview"

# --- Build ------------------------------------------------------------------
# Local builds start clean too, so a renamed article leaves no stale page behind.
DELETE_OUTPUT_DIRECTORY = True
CACHE_CONTENT = False
