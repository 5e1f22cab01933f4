"""The transformations: forward (tangent), reverse (adjoint), and their batched forms."""
