"""``python -m extract``: the command line."""

from .cli import app

app(prog_name="extract")
