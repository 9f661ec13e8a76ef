"""Content schema plugin: one declaration of every content type, and its checks."""

from .check import (
    CITATION,
    CITATION_KEY,
    CheckResult,
    check_content,
    load_references,
    load_reviewers,
    load_testimonials,
    next_review_due,
)
from .content_schema import NOTICES_LOGGER, register
from .problems import ContentError, Problem
from .schema import (
    ArticleMeta,
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
    "ArticleMeta",
    "CheckResult",
    "Consent",
    "ContentError",
    "PageMeta",
    "Problem",
    "Reference",
    "Reviewer",
    "Taxonomy",
    "Testimonial",
    "check_content",
    "load_references",
    "load_reviewers",
    "load_testimonials",
    "next_review_due",
    "register",
]
