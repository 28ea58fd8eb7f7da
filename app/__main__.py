"""`python -m app` does what the `nnlive` command does."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
