"""A spec-driven generator of typed Python API clients.

The pipeline runs one way: spec -> loader -> intermediate model -> renderers -> files.
"""

__version__ = "0.1.0"
