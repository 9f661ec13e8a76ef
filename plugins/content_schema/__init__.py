"""Content schema plugin: one declaration of every content type, and its checks."""

from .check import CheckResult, check_content, check_loaded, next_review_due
from .content_schema import NOTICES_LOGGER, register
from .loaders import LoadedContent, every_article, front_matter, load_content, loaded
from .markup import CITATION, CITATION_KEY, RENDERED_TESTIMONIALS_MARKER
from .mistakes import help_anchor
from .problems import ContentError, Problem
from .review import ReviewState
from .schema import (
    ArticleMeta,
    Author,
    Consent,
    PageMeta,
    Reference,
    Reviewer,
    Taxonomy,
    Testimonial,
)

__all__ = [
    "CITATION",
    "CITATION_KEY",
    "NOTICES_LOGGER",
    "RENDERED_TESTIMONIALS_MARKER",
    "ArticleMeta",
    "Author",
    "CheckResult",
    "Consent",
    "ContentError",
    "LoadedContent",
    "PageMeta",
    "Problem",
    "Reference",
    "ReviewState",
    "Reviewer",
    "Taxonomy",
    "Testimonial",
    "check_content",
    "check_loaded",
    "every_article",
    "front_matter",
    "help_anchor",
    "load_content",
    "loaded",
    "next_review_due",
    "register",
]
