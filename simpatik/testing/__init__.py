"""Helpers shared by the tests and the demo loader: personas and a generic step walker."""
