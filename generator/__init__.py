"""A spec-driven generator of typed Python API clients.

The folders are the pipeline, and data flows one way (``import-linter`` enforces it):
``reading`` (spec files -> validated document) -> ``model`` (-> intermediate model) ->
``planning`` (-> what each output needs) -> ``rendering`` (-> formatted files, written
atomically). ``runtime`` is the spec-independent part of the generated package, real Python
copied verbatim. ``drift`` compares the spec with upstream; ``pipeline`` and ``check`` join the
stages, and ``cli`` is the command line.
"""

__version__ = "0.1.0"
