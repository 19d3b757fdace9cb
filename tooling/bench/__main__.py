"""`python -m bench` (the Makefile's `make bench`) runs the validation benchmark."""

from bench.bench_validate import main

raise SystemExit(main())
