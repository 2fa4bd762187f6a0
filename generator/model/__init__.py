"""The intermediate model: the second stage.

Takes a validated ``Spec`` from ``generator.reading``; gives ``ir.Api``, frozen dataclasses in
which every ``$ref`` is resolved and every Python name is decided (``naming``). Knows nothing
of the output. Imports ``generator.reading`` and ``generator.errors`` only.
"""
