"""nncore: a small, exact NumPy engine that trains neural networks on 2-D data and reports every step as data.

Imports only NumPy and the standard library. See docs/architecture.md for the module cut and
docs/config.md for the config.
"""

from nncore.catalog import catalog
from nncore.config import DEFAULT_CONFIG, validate_config
from nncore.errors import ConfigError
from nncore.headless import predict, train
from nncore.limits import LIMITS
from nncore.trainer import Trainer

__all__ = [
    "DEFAULT_CONFIG",
    "LIMITS",
    "ConfigError",
    "Trainer",
    "catalog",
    "predict",
    "train",
    "validate_config",
]
