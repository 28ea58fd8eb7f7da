"""nnlive's web layer: a thin FastAPI app over nncore."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nnlive")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
