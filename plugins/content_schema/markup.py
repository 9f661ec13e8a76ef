"""The markers writers type in Markdown, and how they look once rendered.

- `[testimonials]`, alone on a line, is where an article's listed
  testimonials go (plugins/testimonials).
- `[@key]` or `[@key1; @key2]` cites references.yaml (plugins/health).
"""

from __future__ import annotations

import re

# The marker as written, one Markdown line.
TESTIMONIALS_MARKER = re.compile(r"^\s*\[testimonials\]\s*$", re.IGNORECASE)
# The marker once Markdown made it a paragraph (Typogrify leaves it as is).
RENDERED_TESTIMONIALS_MARKER = re.compile(
    r"<p>\s*\[testimonials\]\s*</p>", re.IGNORECASE
)
# In rendered HTML, Typogrify may have joined "; @key" with a no-break space.
_SPACE = r"(?:\s|&nbsp;|&#160;)*"
CITATION = re.compile(
    rf"\[(?P<keys>@[A-Za-z][\w-]*(?:{_SPACE};{_SPACE}@[A-Za-z][\w-]*)*)\]"
)
CITATION_KEY = re.compile(r"@([A-Za-z][\w-]*)")
