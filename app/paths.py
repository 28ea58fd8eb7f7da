"""Where the page's files live: in the installed wheel (app/templates, app/static) or the source tree."""

from __future__ import annotations

from pathlib import Path

import plotly

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    """The wheel puts `templates/` and `static/` inside `app`; a source checkout has them beside it."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"nnlive's {name}/ folder is missing next to {_PACKAGE}")


TEMPLATES_DIR = _find("templates")
STATIC_DIR = _find("static")
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
PLOTLY_VERSION: str = plotly.__version__
