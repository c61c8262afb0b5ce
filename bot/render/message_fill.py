"""A message rendered once per (message, language, channel, shape), filled in per recipient.

Rendering the Jinja templates was the dispatcher's largest cost per e-mail, and a broadcast
renders the same message for every PoC: only a few values differ from one delivery to the
next (the PoC's name, title and addresses, their party's code and name, the unsubscribe URL,
the answer links). `MessageFills` renders a message with unique stand-ins for those values,
splits each part at the stand-ins, and for each delivery joins the pieces with the
recipient's own values, escaped as the template escapes them (markupsafe in the HTML and
Telegram parts, as they are in the text), the party's name in the HTML part marked with
lang= as bot.render.names marks it.

Never a wrong text: what a template does with a recipient's value other than print it (a
condition, a filter) cannot be filled in, and is caught before anything is sent:
- the *shape* of the values is part of the key: which are empty (a title, the links), how
  many addresses, which answer links, so the conditions templates test (`{% if poc.title %}`)
  take the branch they take for this recipient;
- the message is rendered with two sets of stand-ins, of different lengths and letters, each
  holding the characters HTML escapes and a space; both must split into the same pieces in
  the same order, with no trace of a stand-in left elsewhere: a value changed by a filter,
  cut, measured, or printed unescaped where the others are escaped fails this;
- the subject may hold none (it is squeezed to one line, which a value could change);
- the first delivery of each shape is also rendered in full, and must be equal.
A shape that fails is rendered in full for each of its deliveries, exactly as before.
"""

import logging
import re
import secrets
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from markupsafe import Markup, escape

from bot.render.messages import HTML_PART, RenderedMessage, pick_language, render_parts
from bot.render.names import localised_party
from bot.render.templates import environment

log = logging.getLogger(__name__)

# the context's keys: the message's (shared) and the PoC's and party's (filled in); any other
# key makes every delivery's render a full one
MESSAGE_KEYS = frozenset({"poc", "party", "message"})
PARTY_NAME = 0  # the party's name is the first of a recipient's values
PARTS = ("subject.txt.j2", "email.txt.j2", HTML_PART, "telegram.html.j2")


class _Unfillable(Exception):
    """This delivery's values or this template cannot be filled in: render it in full."""


@dataclass(frozen=True)
class _Values:
    """A recipient's values in a fixed order (the order stand-ins are numbered in)."""

    leaves: tuple[str, ...]  # every non-empty string of the recipient's parts
    html_party_name: Markup  # the first leaf, the party's name, as the HTML part shows it


@dataclass(frozen=True)
class _Pieces:
    """One part split at its values: literals[0] value literals[1] value ... literals[-1]."""

    literals: tuple[str, ...]
    slots: tuple[int, ...]

    def join(self, values: list[str]) -> str:
        pieces = [self.literals[0]]
        for slot, literal in zip(self.slots, self.literals[1:], strict=True):
            pieces += (values[slot], literal)
        return "".join(pieces).strip()  # as the full render strips each part


@dataclass(frozen=True)
class _Filled:
    """A message's parts in one language and shape, ready for any recipient's values."""

    language: str
    fell_back: bool
    subject: str
    parts: dict[str, _Pieces]  # by file name, for the parts of the channel rendered

    def fill(self, values: _Values) -> RenderedMessage:
        encoded = {name: _encoded(values, name) for name in self.parts}
        text = {name: pieces.join(encoded[name]) for name, pieces in self.parts.items()}
        return RenderedMessage(
            language=self.language, fell_back=self.fell_back, subject=self.subject,
            text=text.get("email.txt.j2", ""), html=text.get(HTML_PART, ""),
            telegram=text.get("telegram.html.j2", ""))


@cache
def _autoescaped(part: str) -> bool:
    """Whether the environment escapes values in `part` (by its file name's extension)."""
    mode = environment().autoescape
    return bool(mode(f"messages/_/{part}") if callable(mode) else mode)


def _encoded(values: _Values, part: str) -> list[str]:
    """Each value as it appears in `part`: escaped where the part escapes, the party's name
    in the HTML part already marked up (a Markup, which escaping leaves alone)."""
    leaves: list[str | Markup] = list(values.leaves)
    if part == HTML_PART:
        leaves[PARTY_NAME] = values.html_party_name
    if not _autoescaped(part):
        return [str(leaf) for leaf in leaves]
    return [str(escape(leaf)) for leaf in leaves]


class _Probe(str):
    """A stand-in that notes in `seen` what a template does with it other than print it or
    test whether it is empty: compare it, look into it, measure it, call its methods."""

    seen: list[str]

    def __new__(cls, text: str, seen: list[str]) -> "_Probe":
        probe = super().__new__(cls, text)
        probe.seen = seen
        return probe

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("__") and name not in ("seen", "_note"):
            object.__getattribute__(self, "seen").append(name)
        return super().__getattribute__(name)

    def __bool__(self) -> bool:  # the shape decides emptiness; len() is a measure
        return True

    def _note(self, what: str) -> None:
        object.__getattribute__(self, "seen").append(what)

    def __eq__(self, other: object) -> bool:
        self._note("==")
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        self._note("!=")
        return super().__ne__(other)

    def __lt__(self, other: str) -> bool:
        self._note("<")
        return super().__lt__(other)

    def __le__(self, other: str) -> bool:
        self._note("<=")
        return super().__le__(other)

    def __gt__(self, other: str) -> bool:
        self._note(">")
        return super().__gt__(other)

    def __ge__(self, other: str) -> bool:
        self._note(">=")
        return super().__ge__(other)

    def __hash__(self) -> int:
        self._note("hash")
        return super().__hash__()

    def __contains__(self, other: object) -> bool:
        self._note("in")
        return super().__contains__(other)  # type: ignore[operator]

    def __len__(self) -> int:
        self._note("len")
        return super().__len__()

    def __getitem__(self, index: Any) -> str:
        self._note("[]")
        return super().__getitem__(index)

    def __iter__(self) -> Iterator[str]:
        self._note("iter")
        return super().__iter__()


@dataclass(frozen=True)
class _StandIns(_Values):
    """Unique tokens for a recipient's values; `spaced` ones begin with a space (a value
    trimmed by the template shows it) and are longer, with other letters."""

    nonce: str
    seen: list[str]  # what the template did with a probe, beyond printing it

    @classmethod
    def make(cls, count: int, spaced: bool) -> "_StandIns":
        nonce, seen = secrets.token_hex(8 if spaced else 6), list[str]()
        lead, tail = (" Zz", "zZ") if spaced else ("Qq", "q")
        # what HTML escapes, so that a value printed unescaped (|safe) is told apart
        leaves = tuple(_Probe(f"{lead}{nonce}<{index}>&\"'{tail}", seen)
                       for index in range(count))
        return cls(leaves, Markup(str(leaves[PARTY_NAME])), nonce, seen)

    def split(self, output: str, part: str) -> _Pieces:
        tokens = _encoded(self, part)
        slot = {token: index for index, token in enumerate(tokens)}
        for token in tokens:  # a part that begins with a value lost its space to strip()
            if token != token.lstrip() and output.startswith(token.lstrip()):
                output = token[:len(token) - len(token.lstrip())] + output
        pattern = "|".join(re.escape(token) for token in sorted(tokens, key=len, reverse=True))
        found = re.split(f"({pattern})", output)
        literals, slots = tuple(found[0::2]), tuple(slot[token] for token in found[1::2])
        if any(self.nonce in literal for literal in literals):
            raise _Unfillable(f"{part}: a value is changed or escaped otherwise")
        return _Pieces(literals, slots)


def _shape(value: Any, leaves: list[str]) -> Hashable:
    """What of `value` the templates may test (empty or not, keys, lengths, constants);
    its non-empty strings go to `leaves`, in order."""
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise _Unfillable("a key that is not a string")
        return ("map", tuple((key, _shape(item, leaves)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_shape(item, leaves) for item in value))
    if isinstance(value, Markup):
        raise _Unfillable("a value already marked up")
    if isinstance(value, str) and value:
        leaves.append(value)
        return "text"
    if value is None or isinstance(value, (str, int, float, bool)):
        return ("constant", type(value).__name__, value)
    raise _Unfillable(f"a value of type {type(value).__name__}")


def _standing_in(value: Any, tokens: Iterator[str]) -> Any:
    """`value` with each of its non-empty strings replaced by the next token."""
    if isinstance(value, Mapping):
        return {key: _standing_in(item, tokens) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_standing_in(item, tokens) for item in value)
    if isinstance(value, str) and value:
        return next(tokens)
    return value


@dataclass(frozen=True)
class _Delivery:
    """One delivery's render request, split into what it shares and what is its own."""

    template: str
    language: str
    fell_back: bool
    context: dict[str, Any]
    unsubscribe_url: str | None
    reply_urls: dict[str, str] | None
    channel: str | None

    def own(self) -> dict[str, Any]:
        """The recipient's values: first the party's name as the text parts show it (a
        leaf of its own, PARTY_NAME), then the PoC, the rest of the party, the links."""
        party = localised_party(self.context.get("party"), self.language, html=False)
        if not party or not party["party"]["name"]:
            raise _Unfillable("no party, or a party without a name")
        rest = {key: value for key, value in party["party"].items() if key != "name"}
        return {"party_name": party["party"]["name"], "poc": self.context.get("poc"),
                "party": rest, "unsubscribe_url": self.unsubscribe_url,
                "reply_urls": self.reply_urls}

    def values(self, leaves: list[str]) -> _Values:
        html = localised_party(self.context.get("party"), self.language, html=True)
        return _Values(tuple(leaves), Markup(html["party"]["name"]))

    def full(self) -> RenderedMessage:
        def party(html: bool) -> dict[str, Any]:
            return localised_party(self.context.get("party"), self.language, html=html)

        return render_parts(self.template, self.language, self.fell_back, self.context, party,
                            self.unsubscribe_url, self.reply_urls, self.channel)

    def with_stand_ins(self, own: dict[str, Any], stand_ins: _StandIns) -> RenderedMessage:
        replaced = _standing_in(own, iter(stand_ins.leaves))
        context = {**self.context, "poc": replaced["poc"], "party": replaced["party"]}

        def party(html: bool) -> dict[str, Any]:
            name = stand_ins.html_party_name if html else replaced["party_name"]
            return {"party": {**replaced["party"], "name": name}}

        return render_parts(self.template, self.language, self.fell_back, context, party,
                            replaced["unsubscribe_url"], replaced["reply_urls"], self.channel)


class MessageFills:
    """render_message for the deliveries of a run, each message rendered once per language,
    channel and shape. `key` names the message (its outbox id): the same key must mean the
    same template and message context, so keep one MessageFills per dispatcher run."""

    def __init__(self, limit: int = 256) -> None:
        self.limit = limit
        self._filled: dict[Hashable, _Filled | None] = {}  # None: render in full
        self._languages: dict[tuple[str, str], tuple[str, bool]] = {}
        self.full_renders = 0  # every full render: the first of a shape, and the fall-backs
        self.unfillable: set[tuple[str, str]] = set()  # (template, language) that fell back

    @property
    def shapes(self) -> int:
        """How many (message, language, channel, shape) were rendered in full once."""
        return len(self._filled)

    def render(self, key: Hashable, template: str, wanted_language: str,
               context: dict[str, Any], unsubscribe_url: str | None = None,
               reply_urls: dict[str, str] | None = None,
               channel: str | None = None) -> RenderedMessage:
        """What render_message(template, wanted_language, context, ...) returns."""
        if (template, wanted_language) not in self._languages:
            self._languages[template, wanted_language] = pick_language(template,
                                                                       wanted_language)
        language, fell_back = self._languages[template, wanted_language]
        delivery = _Delivery(template, language, fell_back, context, unsubscribe_url,
                             reply_urls, channel)
        try:
            if not set(context) <= MESSAGE_KEYS:
                raise _Unfillable("a context key that is not the message's or the PoC's")
            own = delivery.own()
            leaves: list[str] = []
            shape = (key, template, language, channel, _shape(own, leaves))
            values = delivery.values(leaves)
        except _Unfillable:
            return self._full(delivery)
        if shape in self._filled:
            filled = self._filled[shape]
            return filled.fill(values) if filled is not None else self._full(delivery)
        return self._first(delivery, shape, own, values)

    def _full(self, delivery: _Delivery) -> RenderedMessage:
        self.full_renders += 1
        return delivery.full()

    def _first(self, delivery: _Delivery, shape: Hashable, own: dict[str, Any],
               values: _Values) -> RenderedMessage:
        """The first delivery of a shape: prepared, checked against its full render."""
        whole = self._full(delivery)  # raises as render_message does: nothing is kept
        try:
            filled = _prepare(delivery, own, values)
            if filled.fill(values) != whole:
                raise _Unfillable("the filled-in message differs from the full render")
        except Exception as reason:  # a template the stand-ins break is rendered in full
            log.warning("message template %s (%s) is rendered in full for each delivery: %s",
                        delivery.template, delivery.language, reason)
            self.unfillable.add((delivery.template, delivery.language))
            filled = None
        if len(self._filled) >= self.limit:
            self._filled.pop(next(iter(self._filled)))
        self._filled[shape] = filled
        return whole


def _prepare(delivery: _Delivery, own: dict[str, Any], values: _Values) -> _Filled:
    """The message's parts split at two sets of stand-ins, which must agree."""
    splits: list[dict[str, _Pieces]] = []
    subject = ""
    for spaced in (False, True):
        stand_ins = _StandIns.make(len(values.leaves), spaced)
        rendered = delivery.with_stand_ins(own, stand_ins)
        if stand_ins.seen:
            raise _Unfillable(f"the template does more with a value than print it: "
                              f"{', '.join(sorted(set(stand_ins.seen)))}")
        outputs = {"subject.txt.j2": rendered.subject, "email.txt.j2": rendered.text,
                   HTML_PART: rendered.html, "telegram.html.j2": rendered.telegram}
        splits.append({part: stand_ins.split(outputs[part], part) for part in _parts(delivery)})
        if splits[-1]["subject.txt.j2"].slots:
            raise _Unfillable("the subject holds a recipient's value")
        subject = rendered.subject
    if splits[0] != splits[1]:
        raise _Unfillable("the two sets of stand-ins give different texts")
    parts = {part: pieces for part, pieces in splits[0].items() if part != "subject.txt.j2"}
    return _Filled(delivery.language, delivery.fell_back, subject, parts)


def _parts(delivery: _Delivery) -> tuple[str, ...]:
    """The parts render_parts renders for the delivery's channel (the subject always)."""
    email, telegram = delivery.channel != "telegram", delivery.channel != "email"
    return tuple(part for part in PARTS if part == "subject.txt.j2"
                 or (email and part in ("email.txt.j2", HTML_PART))
                 or (telegram and part == "telegram.html.j2"))

