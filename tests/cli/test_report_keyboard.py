"""The transparency page for a keyboard and a screen reader: a table wider than a phone
scrolls inside its box, so the box takes the focus (Tab reaches it, arrow keys scroll it),
is announced as a region named after its table, and shows where the focus is."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cli.test_report import YEAR_2023, registry_2023  # noqa: F401  (a fixture)
from tests.support.cli import Invoke


class Regions(HTMLParser):
    """Each scrolling box (class table-wrap) with its attributes, and the heading text just
    before it."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: list[tuple[dict[str, str | None], str]] = []
        self._heading: list[str] | None = None
        self._last_heading = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("h2", "h3"):
            self._heading = []
        if tag == "div" and "table-wrap" in (values.get("class") or "").split():
            self.boxes.append((values, self._last_heading))

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3") and self._heading is not None:
            self._last_heading = "".join(self._heading).strip()
            self._heading = None


@pytest.mark.usefixtures("registry_2023")
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_scrolling_table_is_a_named_region_the_keyboard_reaches(
    outreach: Invoke, tmp_path: Path, language: str
) -> None:
    path = tmp_path / "page.html"
    result = outreach("report", *YEAR_2023, "--format", "html", "--lang", language,
                      "--out", str(path))
    assert result.exit_code == 0, result.output
    page = path.read_text(encoding="utf-8")
    regions = Regions()
    regions.feed(page)
    # a box per section (eight, letters the last), and one for the outreach matrix
    assert len(regions.boxes) == 9
    for attributes, heading in regions.boxes:
        assert attributes.get("tabindex") == "0", heading
        assert attributes.get("role") == "region", heading
        assert heading and attributes.get("aria-label") == heading
    assert ".table-wrap:focus { outline: 3px solid" in page
