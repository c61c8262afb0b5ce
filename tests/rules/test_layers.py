"""The layers hold: every import of ours points down (docs/architecture.md).

`storage` imports nothing of ours, `scheduler` only `storage`, and inside `bot/` each package
only what sits below it; `bot/main.py` alone may wire everything. Imports inside functions
count too: a lazy import is still a dependency.
"""

import ast
from pathlib import Path

import pytest

from tests.support.paths import REPO

OURS = ("bot", "scheduler", "storage", "templates")
LOWER = ("scheduler", "storage", "templates")
# package -> what its modules may import (besides themselves)
ALLOWED: dict[str, tuple[str, ...]] = {
    "storage": (),
    "scheduler": ("storage",),
    "bot.logs": (),
    # the SMTP URL is checked when settings load by the channel's own parser (lazily: the
    # channel imports the settings), so that one grammar decides what a valid URL is
    "bot.settings": ("bot.channels.email.config", *LOWER),
    "bot.render": LOWER,
    "bot.channels": ("bot.settings", "bot.render", *LOWER),
    "bot.delivery": ("bot.channels", "bot.render", "bot.web.links", *LOWER),
    "bot.web": ("bot.delivery.answer_kinds", "bot.render", *LOWER),
    # bot.web.safety: the webhook is served by the same tornado application, with its headers
    "bot.chat": ("bot.delivery.answer_kinds", "bot.channels.contract", "bot.web.safety",
                 "bot.render", *LOWER),
    "bot.demo": ("bot.settings", "bot.delivery", "bot.channels", "bot.render", *LOWER),
    "bot.cli": ("bot.main", "bot.settings", "bot.demo", "bot.web", "bot.delivery",
                "bot.channels", "bot.render", *LOWER),
    "bot.main": ("bot", *LOWER),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    """The most specific key of ALLOWED the module belongs to."""
    matches = [key for key in ALLOWED if module == key or module.startswith(f"{key}.")]
    assert matches, f"{module} belongs to no layer: add it to ALLOWED"
    return max(matches, key=len)


def is_module(name: str) -> bool:
    path = REPO.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported(path: Path) -> set[str]:
    """Every module of ours the file imports, at the top or inside a function
    (`from bot.render import markdown` imports bot.render.markdown)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                names.add(candidate if is_module(candidate) else node.module)
    return {name for name in names if name.split(".")[0] in OURS}


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)


SOURCES = sorted(path for package in ("bot", "scheduler", "storage")
                 for path in (REPO / package).rglob("*.py")
                 if "migrations" not in path.parts and path.parent != REPO / "bot")
SOURCES += [path for path in (REPO / "bot").glob("*.py") if path.name != "__init__.py"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_import_points_down(path: Path) -> None:
    module = module_name(path)
    layer = package_of(module)
    allowed = (layer, *ALLOWED[layer])
    wrong = sorted(name for name in imported(path) if not within(name, allowed))
    assert not wrong, f"{module} ({layer}) imports {wrong}"


def test_every_layer_is_inhabited() -> None:
    """A layer renamed in the code but not here would make its rule check nothing."""
    layers = {package_of(module_name(path)) for path in SOURCES}
    assert layers == set(ALLOWED)
