"""The benchmark: the harness that measures every key page (``python -m bench.run``, or ``make bench``) on
a synthetic history of the facility (``demo.synthetic``)."""

# Where the benchmark's settings route the yardstick (``bench.urls``, ``bench.views``).
YARDSTICK_PATH = "bench/yardstick/"
