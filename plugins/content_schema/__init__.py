"""Content schema plugin: one declaration of every content type, and its checks."""

from .check import CheckResult, check_content, load_testimonials
from .content_schema import register
from .problems import ContentError, Problem
from .schema import ArticleMeta, Consent, PageMeta, Taxonomy, Testimonial

__all__ = [
    "ArticleMeta",
    "CheckResult",
    "Consent",
    "ContentError",
    "PageMeta",
    "Problem",
    "Taxonomy",
    "Testimonial",
    "check_content",
    "load_testimonials",
    "register",
]
