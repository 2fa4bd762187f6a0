"""The spec-driven contract suite."""
