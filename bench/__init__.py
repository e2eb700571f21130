"""The benchmark: a synthetic history of the facility (``bench.synthetic``) and the harness that
measures every key page on it (``python -m bench.run``, or ``make bench``)."""
