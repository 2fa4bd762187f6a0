"""Rendering and writing: the last stage.

Takes ``ir.Api`` and the plans; gives the output files: model classes from
datamodel-code-generator, the rest from Jinja2 templates and the verbatim ``generator.runtime``,
formatted by ruff and swapped in atomically (``writer``), with a stamp that skips unchanged
runs. Imports ``generator.planning`` and below, and reads ``generator.runtime`` as files.
"""
