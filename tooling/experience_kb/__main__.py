"""`python -m experience_kb`: the `kb` command."""

from .cli import main

main(prog_name="kb")
