"""Rendering of every word the CLI shows, from templates/ (pure: no I/O beyond loading)."""

from functools import cache
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
    Template,
    select_autoescape,
)
from markupsafe import Markup

from bot.render import markdown
from storage.problems import Problem

DEFAULT_LANGUAGE = "en"
RIGHT_TO_LEFT = frozenset({"ar"})


def direction(language: str) -> str:
    """The text direction of `language`, as HTML's dir= takes it."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs, in a folder of this user's own under the
    temporary directory (Jinja checks its owner and mode): every CLI command is a new
    process, and compiling the message catalogue cost more than the rest of `outreach
    status`. None where no such folder can be made; templates are then compiled each time."""
    try:
        return FileSystemBytecodeCache()
    except (RuntimeError, OSError):
        return None


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("templates", ""),
        bytecode_cache=_bytecode_cache(),
        autoescape=select_autoescape(
            enabled_extensions=("html", "html.j2"), default_for_string=False
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    # Markdown written by staff (the Chair's messages); the converters escape what was typed.
    env.filters["markdown_html"] = lambda text: Markup(markdown.to_email_html(text))
    env.filters["markdown_telegram"] = lambda text: Markup(markdown.to_telegram_html(text))
    env.filters["markdown_text"] = markdown.to_text
    return env


def localised(path: str, language: str = DEFAULT_LANGUAGE) -> Template:
    """templates/<area>/<language>/<file> for `path` "<area>/<file>", or the English one
    when that language has none."""
    area, _, filename = path.partition("/")
    return environment().select_template(
        [f"{area}/{language}/{filename}", f"{area}/{DEFAULT_LANGUAGE}/{filename}"])


def render(name: str, language: str = DEFAULT_LANGUAGE, **context: Any) -> str:
    """Render templates/<area>/<language>/<file>, falling back to English."""
    return localised(name, language).render(**context).strip()


def macro(path: str, name: str, language: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """What the macro `name` of the template `path` ("<area>/<file>", in `language`, else
    English) says. `path`, `name` and `language` are positional only, so that a macro may
    take parameters of those names."""
    found = getattr(localised(path, language).module, name, None)
    if found is None:
        raise KeyError(f"no macro {name!r} in templates/{path}")
    return str(found(**params)).strip()


def has_macro(path: str, name: str, language: str = DEFAULT_LANGUAGE) -> bool:
    return hasattr(localised(path, language).module, name)


def message(code: str, language: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """One message of templates/cli/<language>/messages.j2, a macro named after `code`."""
    return catalogue_message("messages", code, params, language)


def catalogue_message(catalogue: str, code: str, params: dict[str, Any],
                      language: str = DEFAULT_LANGUAGE) -> str:
    """A macro named `code` of templates/cli/<language>/<catalogue>.j2 (English if absent);
    `params` is a dict, so a message may take a parameter called `language`."""
    return macro(f"cli/{catalogue}.j2", code, language, **params)


def problem_line(problem: Problem) -> str:
    text = message(problem.code, **problem.params)
    if problem.line is None:
        return text
    return message("at_line", line=problem.line, text=text)
