"""The intermediate representation: AST utilities, builders and node annotations."""
