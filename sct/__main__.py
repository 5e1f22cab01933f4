"""``python -m sct``: the command line (see ``sct --help``)."""
from .cli.main import main

main(prog_name="sct")
