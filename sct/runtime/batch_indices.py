"""The index of a value applied to each value of a batch (vector mode), as numpy reads indices.

Numpy puts the axes that index arrays select where the first of them stands when they stand together, and
in front of every other axis when a slice, ``None`` or ``...`` stands between them (integers count with the
arrays then: ``x[0, :, [1, 2]]`` has the selected axis first). A batch's leading slice would then land
behind those axes; the batch is selected by an array of its own instead, so that it still leads.
"""
import numpy as np


def _arrays_apart(parts):
    """Whether the index ``parts`` (a tuple) holds an index array and its arrays and integers do not stand
    together (a slice, None or Ellipsis between them), so that numpy moves the axes they select first."""
    if not any(isinstance(p, (list, tuple)) or np.ndim(p) > 0 for p in parts):
        return False
    held = [i for i, p in enumerate(parts) if not (p is None or p is Ellipsis or isinstance(p, slice))]
    return held[-1] - held[0] + 1 != len(held)


def batch_index(index, k=None):
    """The index ``index`` of a value, applied to each value of a batch of ``k``: ``(slice(None),) + index``,
    or, where numpy would move axes in front of that slice (see ``_arrays_apart``), the batch selected by
    ``np.arange(k)`` shaped to lead the axes the index arrays select."""
    parts = index if isinstance(index, tuple) else (index,)
    if k is None or not _arrays_apart(parts):
        return (slice(None),) + parts
    shapes = [(int(np.count_nonzero(p)),) if np.asarray(p).dtype == bool else np.shape(p)
              for p in parts if not (p is None or p is Ellipsis or isinstance(p, slice))]
    ndim = len(np.broadcast_shapes(*shapes))
    return (np.arange(k).reshape((k,) + (1,) * ndim),) + parts
