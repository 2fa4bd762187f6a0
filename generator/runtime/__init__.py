"""The runtime: the part of every generated package that does not depend on the spec.

Real Python, linted, type-checked and tested here, then copied verbatim into the output under
the generated header (``rendering.package.RUNTIME_FILES``). Its modules import only each
other, the standard library, ``httpx``, and the values the spec decides from the generated
``_settings`` (here, a stand-in with the same names and types). Never imports the generator.
"""
