"""Tests of the web layer (app/).

The server runs with one BLAS thread (app/__init__.py sets OPENBLAS_NUM_THREADS=1 before NumPy loads); the
tests import NumPy before app.main, so they ask for the same here: with OpenBLAS's extra thread spinning on
this package's many small products, the timing tests measured the spinning, not the server.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
