"""Where things are, for specs that read the repository's files or start a child process."""

from pathlib import Path

SUPPORT = Path(__file__).resolve().parent
REPO = SUPPORT.parent.parent
