"""Emission: AST to readable source, and standalone derivative modules."""
