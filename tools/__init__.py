"""Developer tooling: model freshness, training, serving and benchmarks."""
