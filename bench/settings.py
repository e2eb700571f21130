"""The production settings, as the benchmark runs them: the collected static files go elsewhere, and
the URLs have the benchmark's yardstick beside the app's (``bench.urls``).

Everything else (DEBUG off, the database, hosts, cookies) comes from the environment that
``bench.run`` sets, exactly as in production.
"""

from __future__ import annotations

import os
from pathlib import Path

from bergen_injection.settings import *  # noqa: F403
from bergen_injection.settings import STATIC_ROOT

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT") or STATIC_ROOT)
ROOT_URLCONF = "bench.urls"
