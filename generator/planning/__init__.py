"""Plans of each output: the third stage, Kiota's refining pass.

Takes ``ir.Api``; gives what the templates lay out, computed as plain data and strings of
Python: client methods (``operations``), decoders and encoders (``codec``), msgspec structs
(``accelerated``) and annotations (``typing_hints``). Imports ``generator.model`` and below.
"""
