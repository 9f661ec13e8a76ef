"""Benchmarks: corpus generator and measurements that write docs/performance.md."""
