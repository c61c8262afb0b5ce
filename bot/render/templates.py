"""Rendering of every word the CLI shows, from templates/ (pure: no I/O beyond loading)."""

from datetime import date
from functools import cache
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
    Template,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup, escape

from bot.render import catalogue, markdown
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


def _english_fallback(text: str, context: Context) -> str:
    """An untranslated word in a page that can say so: marked as English for screen readers
    (WCAG 3.1.2), never passed off as the page's language."""
    if catalogue.marks_language(context.name) and context.eval_ctx.autoescape:
        return Markup('<span lang="en" dir="ltr">%s</span>') % escape(text)
    return text


def _shown(context: Context, translated: str, known: bool, english: str) -> str:
    text = translated if known else _english_fallback(english, context)
    return Markup(text) if context.eval_ctx.autoescape else text


def _domain(context: Context) -> str | None:
    """The catalogue domain of the template whose words these are: its area (a macro runs
    in the context of the template that defines it)."""
    return context.name.split("/", 1)[0] if context.name else None


def _gettext_in(language: str) -> Any:
    """gettext, ngettext and pgettext in `language`, as Jinja's newstyle i18n calls them:
    the variables are formatted in (escaped where the template escapes), always, so that
    "%%" is "%" with or without variables. English is the source: no catalogue, no Babel
    (the CLI's everyday commands start without it)."""
    english = language == DEFAULT_LANGUAGE

    @pass_context
    def gettext(context: Context, message: str, **variables: Any) -> str:
        if english:
            return _shown(context, message, True, message) % variables
        domain = _domain(context)
        translated = catalogue.gettext(message, language, domain)
        known = catalogue.catalogue(language).has(message, None, domain)
        return _shown(context, translated, known, message) % variables

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, number: int, /,
                 **variables: Any) -> str:
        # Jinja passes the number both positionally and as the variable it counts by
        if english:
            translated, known = (singular if number == 1 else plural), True
        else:
            domain = _domain(context)
            translated = catalogue.ngettext(singular, plural, number, language, domain)
            known = catalogue.catalogue(language).has(singular, None, domain)
        return _shown(context, translated, known, translated) % {"num": number, **variables}

    @pass_context
    def pgettext(context: Context, message_context: str, message: str,
                 **variables: Any) -> str:
        if english:
            return _shown(context, message, True, message) % variables
        domain = _domain(context)
        translated = catalogue.pgettext(message_context, message, language, domain)
        known = catalogue.catalogue(language).has(message, message_context, domain)
        return _shown(context, translated, known, message) % variables

    return gettext, ngettext, pgettext


def long_date(day: date, language: str) -> str:
    """26 April 2016 (as the UN writes it in English), 26 avril 2016, 2016年4月26日 ..."""
    from babel.dates import format_date

    pattern = "d MMMM y" if language == DEFAULT_LANGUAGE else "long"
    return format_date(day, pattern, locale=language)


def iso_long_date(iso: object, language: str) -> str:
    """long_date of an ISO date ("2019-06-30", or a timestamp starting with one); "" when
    the value is no such date, so that the caller shows it as given."""
    try:
        day = date.fromisoformat(str(iso)[:10])
    except ValueError:
        return ""
    return long_date(day, language)


def _babel_filters(language: str) -> dict[str, Any]:
    """Dates and numbers as each language writes them (CLDR through Babel), Western digits
    as the UN's documents use in every language."""
    from babel.dates import format_date
    from babel.numbers import format_decimal, format_percent

    return {
        "long_date": lambda day: long_date(day, language),
        "month_year": lambda day: format_date(day, "LLLL y", locale=language),
        "number": lambda value: format_decimal(value, locale=language, numbering_system="latn"),
        "percent": lambda share: format_percent(share, locale=language, numbering_system="latn"),
    }


@cache
def environment(language: str = DEFAULT_LANGUAGE) -> Environment:
    """The templates in `language`: `{% trans %}` and `_()` read its catalogue."""
    env = _base_environment()
    if language != DEFAULT_LANGUAGE:
        # An overlay shares its parent's dicts: each language gets its own words and filters.
        env = env.overlay(cache_size=400)
        env.globals = dict(env.globals)
        env.filters = dict(env.filters)
    gettext, ngettext, pgettext = _gettext_in(language)
    env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext, pgettext=pgettext,
                       page_language=language,
                       page_direction=direction(language),
                       iso_long_date=lambda iso, in_language=language: iso_long_date(
                           iso, in_language))
    env.filters.update(_babel_filters(language))
    return env


@cache
def _base_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("templates", ""),
        extensions=["jinja2.ext.i18n"],
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
    env.policies["ext.i18n.trimmed"] = True  # as bot.render.catalogue_extract extracts
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    return env


def localised(path: str, language: str = DEFAULT_LANGUAGE) -> Template:
    """templates/<area>/<language>/<file> for `path` "<area>/<file>", or the English one
    when that language has none."""
    area, _, filename = path.partition("/")
    return environment(language).select_template(
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


def macro_taking(path: str, name: str, language: str = DEFAULT_LANGUAGE, /,
                 **offered: Any) -> str:
    """As macro, passing only the `offered` parameters the macro declares: one caller can
    word answers whose macros take different parameters (a promise's days, a snooze's end)."""
    found = getattr(localised(path, language).module, name, None)
    if found is None:
        raise KeyError(f"no macro {name!r} in templates/{path}")
    declared = set(getattr(found, "arguments", ()))
    return str(found(**{key: value for key, value in offered.items() if key in declared})
               ).strip()


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
