"""What staff type in Telegram, as the Markdown body a Chair's message stores.

Telegram gives the typed text with its formatting as HTML (python-telegram-bot's
`Message.text_html`: bold, italic, underline, strikethrough, spoiler, code, pre, links,
blockquotes; the text itself escaped). storage.chair keeps each language's body as Markdown
(CommonMark), the same form `outreach chair draft FILE` reads, so this turns the one into
the other:

    <b>bold</b> -> **bold**    <i>it</i> -> *it*    <s>x</s> -> ~~x~~
    <code>x</code> -> `x`      <pre>x</pre> -> a fenced block
    <a href="URL">text</a> -> [text](<URL>)        <blockquote> -> "> " lines

Underline, spoilers and custom emoji have no Markdown: their text is kept, plain. Every
character a person typed that Markdown would read as markup (`*`, `_`, `<`, `&`, a `#` or
`-` starting a line ...) is backslash-escaped, so `<b>Dual-use & "AI"</b>` typed as plain
text stays that text, never markup. A single line break stays a line break (a Markdown hard
break); an empty line separates paragraphs, as in Markdown.

Pure: strings in, a string out.
"""

import re
from html.parser import HTMLParser

__all__ = ["markdown_of", "markdown_text"]

# Escaped wherever they are: each may open or close markup somewhere in CommonMark.
_ALWAYS = re.compile(r"([\\`*_\[\]<>~|&])")
# Escaped at the start of a line: headings, quotes, lists, setext underlines.
_LINE_START = re.compile(r"^(\s*)([#>+=-])", re.MULTILINE)
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])", re.MULTILINE)
_WRAPPERS = {"b": "**", "strong": "**", "i": "*", "em": "*", "s": "~~", "strike": "~~",
             "del": "~~"}


def markdown_text(text: str) -> str:
    """Plain text as Markdown that renders to exactly that text."""
    escaped = _ALWAYS.sub(r"\\\1", text)
    escaped = _LINE_START.sub(r"\1\\\2", escaped)
    return _ORDERED.sub(r"\1\\\2", escaped)


def _wrapped(inner: str, mark: str) -> str:
    """`mark` around the text, spaces left outside (CommonMark ignores `** x **`)."""
    core = inner.strip()
    if not core:
        return inner
    start = inner.index(core[0])
    return f"{inner[:start]}{mark}{core}{mark}{inner[start + len(core):]}"


def _code_span(code: str) -> str:
    fence = "`"
    while fence in code:
        fence += "`"
    padding = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{padding}{code}{padding}{fence}"


def _fenced(code: str, language: str) -> str:
    fence = "```"
    while fence in code:
        fence += "`"
    return f"\n\n{fence}{language}\n{code.strip(chr(10))}\n{fence}\n\n"


def _quoted(inner: str) -> str:
    lines = inner.strip("\n").split("\n")
    return "\n\n" + "\n".join(f"> {line}" if line else ">" for line in lines) + "\n\n"


class _Converter(HTMLParser):
    """Telegram HTML -> Markdown, one stack frame per open tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # (tag, attributes, Markdown written inside it so far)
        self.frames: list[tuple[str, dict[str, str], list[str]]] = [("", {}, [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.frames.append((tag, {name: value or "" for name, value in attrs}, []))

    def handle_endtag(self, tag: str) -> None:
        if len(self.frames) == 1 or tag not in {frame[0] for frame in self.frames[1:]}:
            return  # a stray closing tag: Telegram never sends one
        while True:
            name, attrs, parts = self.frames.pop()
            self.frames[-1][2].append(self._close(name, attrs, "".join(parts)))
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        name = self.frames[-1][0]
        inside_code = name in {"code", "pre"} or any(f[0] == "pre" for f in self.frames)
        self.frames[-1][2].append(data if inside_code else _with_breaks(markdown_text(data)))

    def _close(self, name: str, attrs: dict[str, str], inner: str) -> str:
        if name in _WRAPPERS:
            return _wrapped(inner, _WRAPPERS[name])
        if name == "code":
            if self.frames[-1][0] == "pre":  # <pre><code class="language-x">: the fence says it
                language = attrs.get("class", "").removeprefix("language-")
                self.frames[-1][1]["language"] = language
                return inner
            return _code_span(inner)
        if name == "pre":
            return _fenced(inner, attrs.get("language", ""))
        if name == "a" and attrs.get("href"):
            href = attrs["href"].replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
            return f"[{inner}](<{href}>)" if inner.strip() else inner
        if name == "blockquote":
            return _quoted(inner)
        return inner  # u, tg-spoiler, tg-emoji...: the text, plain

    def result(self) -> str:
        while len(self.frames) > 1:  # an unclosed tag: close it
            name, attrs, parts = self.frames.pop()
            self.frames[-1][2].append(self._close(name, attrs, "".join(parts)))
        return "".join(self.frames[0][2])


def _with_breaks(text: str) -> str:
    """A lone newline is a line break the person meant: a hard break in Markdown."""
    return re.sub(r"(?<!\n)\n(?!\n)", "\\\\\n", text)


def markdown_of(telegram_html: str) -> str:
    """The Markdown body for a message typed in Telegram (its `text_html`)."""
    converter = _Converter()
    converter.feed(telegram_html)
    converter.close()
    markdown = converter.result()
    markdown = re.sub(r"\n{3,}", "\n\n", markdown)  # blocks next to each other: one blank
    return markdown.strip("\n")
