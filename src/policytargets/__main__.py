"""``python -m policytargets``: the command line."""

from ._cli import console

if __name__ == "__main__":
    raise SystemExit(console())
