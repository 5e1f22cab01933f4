"""Optimisation passes over emitted code."""
