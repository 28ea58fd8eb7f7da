"""nncore: a small, exact NumPy engine that trains neural networks on 2-D data and reports every step as data.

Imports only NumPy and the standard library. See docs/architecture.md for the module cut.
"""
