"""Deploying the built site: GitHub Pages, any SSH host, S3-compatible storage."""

# For its side effect: plugins/ on sys.path, so deploy/ may import the schema.
import tools  # noqa: F401
