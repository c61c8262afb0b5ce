"""Rendering of every word the CLI shows, from templates/ (pure: no I/O beyond loading)."""

from functools import cache
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
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


def render(name: str, language: str = DEFAULT_LANGUAGE, **context: Any) -> str:
    """Render templates/<area>/<language>/<file>, falling back to English."""
    area, _, filename = name.partition("/")
    env = environment()
    template = env.select_template(
        [f"{area}/{language}/{filename}", f"{area}/{DEFAULT_LANGUAGE}/{filename}"]
    )
    return template.render(**context).strip()


def message(code: str, language: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """One message of templates/cli/<language>/messages.j2, a macro named after `code`."""
    return catalogue_message("messages", code, params, language)


def catalogue_message(catalogue: str, code: str, params: dict[str, Any],
                      language: str = DEFAULT_LANGUAGE) -> str:
    """A macro named `code` of templates/cli/<language>/<catalogue>.j2 (English if absent);
    `params` is a dict, so a message may take a parameter called `language`."""
    env = environment()
    template = env.select_template(
        [f"cli/{language}/{catalogue}.j2", f"cli/{DEFAULT_LANGUAGE}/{catalogue}.j2"]
    )
    macro = getattr(template.module, code, None)
    if macro is None:
        raise KeyError(f"no message template for {code!r}")
    return str(macro(**params)).strip()


def problem_line(problem: Problem) -> str:
    text = message(problem.code, **problem.params)
    if problem.line is None:
        return text
    return message("at_line", line=problem.line, text=text)
