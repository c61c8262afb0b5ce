"""Fixtures of the delivery specs."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.smtp_sink import SmtpSink


@pytest.fixture
def make_sink() -> Iterator[Callable[..., SmtpSink]]:
    """Local SMTP servers for a spec (with TLS, authentication or faults as asked), all
    stopped when it ends."""
    started: list[SmtpSink] = []

    def make(**kwargs: Any) -> SmtpSink:
        sink = SmtpSink(**kwargs)
        sink.start()
        started.append(sink)
        return sink

    yield make
    for sink in started:
        sink.stop()
