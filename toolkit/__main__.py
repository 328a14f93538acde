"""`python -m toolkit …` is `edition …` (what the git hook runs, with the interpreter it records)."""
from .cli import run

if __name__ == "__main__":
    run()
