"""The drift tool: ``spec/`` against GitHub's published description (``make drift``).

Takes the spec (through ``generator.reading``) and an upstream description; gives a report of
breaking, additive, patched and announced differences, and the provenance record. Stands
beside the pipeline: imports ``generator.reading`` and ``generator.model`` only, and nothing
of the pipeline imports it.
"""
