"""Benchmarks: corpus generator and measurements that write docs/performance.md."""

# For its side effect: plugins/ on sys.path, so bench/ may import the schema.
import tools  # noqa: F401
