"""Analyses of normalized code: activity, shapes, idioms, aliasing, liveness, written dtypes."""
