"""Command groups of the CLI, one module per kind of user task; importing them registers them."""
