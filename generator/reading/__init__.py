"""Reading the spec: the first stage.

Takes the files of a spec folder; gives a validated OpenAPI document (``loader.Spec``) with
its patches applied and the source line of every JSON pointer, or a ``SpecError`` naming one.
Imports nothing of the generator but ``generator.errors``.
"""
