"""The production settings, as the benchmark runs them: only the collected static files go elsewhere.

Everything else (DEBUG off, the database, hosts, cookies) comes from the environment that
``bench.run`` sets, exactly as in production.
"""

from __future__ import annotations

import os
from pathlib import Path

from bergen_injection.settings import *  # noqa: F403
from bergen_injection.settings import STATIC_ROOT

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT") or STATIC_ROOT)
