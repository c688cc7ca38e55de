"""The delivery benchmark: `python -m bench.run` (or `make bench`); see README "Benchmark"."""
