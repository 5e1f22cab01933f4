"""The front end: a function's source resolved, desugared, lowered and normalized."""
