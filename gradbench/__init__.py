"""sct as a GradBench tool.

GradBench (github.com/gradbench/gradbench) compares AD tools on a set of *evals*: an eval program sends
JSON messages on the tool's standard input and checks the answers. This package holds sct's side:

- ``tool.py``: the tool, ``python gradbench/tool.py`` from the project root;
- ``protocol.py``: what the tool answers to each message; ``timing.py``: the repeated, timed runs;
- ``evals/``: one module per eval, the primal in plain numpy and its derivatives made by sct;
- ``run.py``: a local runner that plays the eval's part (``inputs.py`` makes the inputs as GradBench's
  generators do, ``client.py`` drives a tool, ``references.py``, ``differences.py`` and ``peers/`` give
  the independent references that ``compare.py`` checks the answers against).
"""
