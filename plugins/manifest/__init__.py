"""Manifest plugin: where every output file came from, and the deploys' check of it."""

from .listing import (
    MANIFEST_FILE,
    Entry,
    ManifestError,
    Problem,
    entry,
    read_manifest,
    refusal,
    verify,
    write_manifest,
)
from .manifest import register

__all__ = [
    "MANIFEST_FILE",
    "Entry",
    "ManifestError",
    "Problem",
    "entry",
    "read_manifest",
    "refusal",
    "register",
    "verify",
    "write_manifest",
]
