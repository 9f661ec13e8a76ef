"""Deploying the built site: GitHub Pages, any SSH host, S3-compatible storage."""
