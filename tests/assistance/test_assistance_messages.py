"""Every refusal storage/assistance (and `outreach orgs add`) can raise, and every problem the
assistance importer reports, has its words in templates/cli/en/messages.j2, taking exactly
the values the code gives it."""

import ast
from pathlib import Path

import pytest

from bot.render.templates import message
from tests.support.paths import REPO

SOURCES = [*sorted((REPO / "storage" / "assistance").glob("*.py")),
           REPO / "storage" / "parties.py", REPO / "storage" / "imports" / "assistance.py"]


def raised_codes(path: Path) -> dict[str, set[str]]:
    """code -> the parameters given, for each AssistanceError(...), PartyError(...) and
    Problem(line, code, {...}) written in `path`."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id in ("AssistanceError", "PartyError") and node.args:
            code = node.args[0]
            params = {keyword.arg for keyword in node.keywords if keyword.arg}
        elif node.func.id == "Problem" and len(node.args) == 3:
            code, given = node.args[1], node.args[2]
            assert isinstance(given, ast.Dict), ast.dump(node)
            params = {str(key.value) for key in given.keys if isinstance(key, ast.Constant)}
        else:
            continue
        assert isinstance(code, ast.Constant), ast.dump(node)
        found.setdefault(str(code.value), set()).update(str(param) for param in params)
    return found


CODES = {code: params for path in SOURCES for code, params in raised_codes(path).items()}


def test_the_sources_raise_the_refusals_this_spec_expects() -> None:
    assert {"assistance_provider_area", "assistance_no_consent", "org_taken",
            "published_without_consent", "closed_on_missing"} <= set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_refusal_has_its_words(code: str) -> None:
    params = {name: f"<{name}>" for name in CODES[code]}
    text = message(code, **params)
    assert text.strip()
    for value in params.values():
        assert value in text, f"{code} does not say {value}"
