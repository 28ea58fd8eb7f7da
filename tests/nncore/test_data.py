"""The data section: the plane shown for a dataset or for user points."""

from __future__ import annotations

import numpy as np

from nncore.data import default_extent
from nncore.datasets import make_dataset


def test_default_extent() -> None:
    X, _ = make_dataset("spiral")
    assert default_extent(X, "spiral") == [-6.0, 6.0, -6.0, 6.0]
    assert default_extent(make_dataset("and")[0], "and") == [-0.5, 1.5, -0.5, 1.5]
    assert default_extent(make_dataset("and", bipolar=True)[0], "and", bipolar=True, n=4) == [-2, 2, -2, 2]
    Xo, _ = make_dataset("gauss", outliers=0.1)
    x0, x1, y0, y1 = default_extent(Xo, "gauss", outliers=0.1)
    assert x0 == y0 == -x1 == -y1 and x1 > np.abs(Xo).max()  # centred square showing every outlier
    # user points: a padded square around them, never degenerate
    assert default_extent(np.array([[1.0, 2.0]])) == [0.0, 2.0, 1.0, 3.0]
    x0, x1, y0, y1 = default_extent(np.array([[0.0, 0.0], [10.0, 4.0]]))
    assert (x0, x1) == (-1.0, 11.0) and (y1 - y0) == 12.0 and (y0 + y1) / 2 == 2.0
    assert all(isinstance(v, float) for v in default_extent(np.zeros((0, 2))))
