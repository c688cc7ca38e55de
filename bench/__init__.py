"""The benchmarks: `python -m bench.run` (or `make bench`) and the others in bench/README.md."""
