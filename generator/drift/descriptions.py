"""Which description of GitHub's npm package the drift tool reads unless told.

A module of its own, importing nothing: the command line names it in its help, and building
the help must not load the drift tool.
"""

DEFAULT_DESCRIPTION = "api.github.com"
