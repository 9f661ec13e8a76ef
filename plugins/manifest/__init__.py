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
from .manifest import Signature, register, snapshot

__all__ = [
    "MANIFEST_FILE",
    "Entry",
    "ManifestError",
    "Problem",
    "Signature",
    "entry",
    "read_manifest",
    "refusal",
    "register",
    "snapshot",
    "verify",
    "write_manifest",
]
