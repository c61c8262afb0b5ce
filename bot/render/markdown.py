"""The Chair's Markdown, as e-mail HTML, e-mail text and Telegram's HTML subset.

Parsed once by markdown-it-py (CommonMark, raw HTML off: what people type is shown as typed,
never interpreted) and rendered three ways. Telegram accepts only b, i, u, s, a, code, pre
and blockquote, so headings become bold lines and lists plain "•" / "1." lines.

markdown-it is imported by the first conversion: bot.render.templates imports this module for
its filters, and every CLI command imports the templates, most never converting Markdown.
"""

import html
import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

TELEGRAM_LIMIT = 4096  # characters of visible text in one Telegram message
_INLINE_TAGS = {"strong": "b", "em": "i", "s": "s"}
_BLANK_LINES = re.compile(r"\n{3,}")
_TAG = re.compile(r"<[^>]+>")


@cache
def _parser() -> "MarkdownIt":
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("strikethrough")


def to_email_html(markdown: str) -> str:
    """HTML for the body of the e-mail layout."""
    return str(_parser().render(markdown)).strip()


def to_telegram_html(markdown: str) -> str:
    return _Writer(telegram=True).document(markdown)


def to_text(markdown: str) -> str:
    """Plain text for the e-mail's text part: no markup, links written out."""
    return _Writer(telegram=False).document(markdown)


def telegram_visible_length(telegram_html: str) -> int:
    """What Telegram counts against its limit: the text without tags, entities decoded."""
    return len(html.unescape(_TAG.sub("", telegram_html)))


class _Writer:
    def __init__(self, telegram: bool) -> None:
        self.telegram = telegram

    def document(self, markdown: str) -> str:
        from markdown_it.tree import SyntaxTreeNode

        tree = SyntaxTreeNode(_parser().parse(markdown))
        return _BLANK_LINES.sub("\n\n", self.blocks(tree.children)).strip()

    def escape(self, text: str, attribute: bool = False) -> str:
        return html.escape(text, quote=attribute) if self.telegram else text

    def blocks(self, nodes: "list[SyntaxTreeNode]", separator: str = "\n\n") -> str:
        return separator.join(part for part in map(self.block, nodes) if part)

    def block(self, node: "SyntaxTreeNode") -> str:
        kind = node.type
        if kind == "paragraph":
            return self.blocks(node.children)
        if kind == "inline":
            return self.inline(node)
        if kind == "heading":
            text = self.blocks(node.children)
            return f"<b>{text}</b>" if self.telegram else text
        if kind in ("fence", "code_block"):
            code = node.content.rstrip("\n")
            if self.telegram:
                return f"<pre>{self.escape(code)}</pre>"
            return "\n".join(f"    {line}" for line in code.split("\n"))
        if kind == "hr":
            return "————————"
        if kind == "blockquote":
            inner = self.blocks(node.children)
            if self.telegram:
                return f"<blockquote>{inner}</blockquote>"
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if kind in ("bullet_list", "ordered_list"):
            return self.listing(node)
        return self.blocks(node.children)

    def listing(self, node: "SyntaxTreeNode") -> str:
        start = int(str(node.attrs.get("start", 1)))
        lines = []
        for number, item in enumerate(node.children, start=start):
            marker = "•" if node.type == "bullet_list" else f"{number}."
            content = self.blocks(item.children, separator="\n")
            indent = " " * (len(marker) + 1)
            lines.append(f"{marker} " + content.replace("\n", "\n" + indent))
        return "\n".join(lines)

    def inline(self, node: "SyntaxTreeNode") -> str:
        parts = []
        for child in node.children:
            kind = child.type
            if kind == "text":
                parts.append(self.escape(child.content))
            elif kind in ("softbreak", "hardbreak"):
                parts.append("\n")
            elif kind == "code_inline":
                code = self.escape(child.content)
                parts.append(f"<code>{code}</code>" if self.telegram else code)
            elif kind in _INLINE_TAGS:
                inner = self.inline(child)
                tag = _INLINE_TAGS[kind]
                parts.append(f"<{tag}>{inner}</{tag}>" if self.telegram else inner)
            elif kind in ("link", "image"):
                parts.append(self.link(child))
            else:
                parts.append(self.inline(child))
        return "".join(parts)

    def link(self, node: "SyntaxTreeNode") -> str:
        target = str(node.attrs.get("href") or node.attrs.get("src") or "")
        label = self.inline(node) or self.escape(str(node.attrs.get("alt", ""))) or target
        if self.telegram:
            return f'<a href="{self.escape(target, attribute=True)}">{label}</a>'
        return label if label == target else f"{label} ({target})"
