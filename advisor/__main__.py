"""python -m advisor: the same as the advisor command."""
from .cli.advice import main

main()
