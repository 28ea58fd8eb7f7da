"""nnlive's web layer: a thin FastAPI app over nncore."""

import os
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nnlive")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

# One BLAS thread per process (the web process and every training process): sessions train many tiny
# matrices at once, and OpenBLAS's extra threads only spin and steal the CPU from them (docs/performance.md,
# "Live sessions"). Must run before NumPy loads, so here, before any module of the app imports it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
