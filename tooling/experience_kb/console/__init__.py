"""CONSOLE: library results as text for a terminal: reports, tables, graph and search output.
No I/O and no click here; the CLI prints what these functions return."""
