"""`outreach demo` shows the whole product: the paper's outreach figures, the transparency
page and the chart, written into the data folder, with no server and no token."""

import re
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from bot.cli import app


def test_the_demo_writes_the_report_and_the_chart_and_says_where(tmp_path: Path) -> None:
    env = {"OUTREACH_DATA_DIR": str(tmp_path), "OUTREACH_DATABASE_URL": "",
           "OUTREACH_TELEGRAM_TOKEN": "", "OUTREACH_SMTP_URL": ""}
    result = CliRunner().invoke(app, ["demo"], env=env)
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert ("From 26 April 2016 to 15 April 2022 (invented events): 249 outreach events,"
            " approximately 82% organised, co-organised by or involving organisations; 144 to"
            " States and civil society, of which 104 to States, 15 to academia, 17 to industry"
            " and 10 to parliamentarians.") in output
    # the invented matrices (bot/demo/matrices.py): section 4.3 in the paper's words
    assert ("shows that 79% of possible measures were recorded for operative paragraph 1"
            in output)
    assert "increased globally since 26 April 2016 by approximately 6 percentage points" \
        in output
    page = tmp_path / "demo" / "transparency-2016-04-26-2022-04-15.html"
    chart = tmp_path / "demo" / "outreach-chart.png"
    assert f"Transparency report (open it in a browser): {page.resolve()}" in result.output
    assert f"Outreach chart: {chart.resolve()}" in result.output
    html = page.read_text(encoding="utf-8")
    assert "INVENTED DATA" in html
    assert re.search(r'data-figure="outreach.events">.*?<td[^>]*>249<', html)
    assert "<svg" in html
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "Invented data, for demonstration only" in html  # on the page's chart too
    matrices = html[html.index('<section id="matrices">'):]
    assert "<svg" in matrices[:matrices.index("</section>")]  # the shares by regional group
    slide = Image.open(tmp_path / "demo" / "outreach-chart-slide.png")
    assert slide.size == (1920, 1080)
    events = (tmp_path / "demo" / "events.csv").read_text(encoding="utf-8")
    assert events.count("(invented event ") == 252


def test_the_demos_mail_is_built_like_the_services(tmp_path: Path) -> None:
    """OUTREACH_PUBLIC_URL, OUTREACH_SECRET_KEY and OUTREACH_MAIL_FROM give the demo's .eml
    files the one-click unsubscribe link, the Message-ID domain and the sender real mail has."""
    env = {"OUTREACH_DATA_DIR": str(tmp_path), "OUTREACH_DATABASE_URL": "",
           "OUTREACH_TELEGRAM_TOKEN": "", "OUTREACH_SMTP_URL": "",
           "OUTREACH_PUBLIC_URL": "https://outreach.example.org",
           "OUTREACH_SECRET_KEY": "demo-test-secret-demo-test-secret",
           "OUTREACH_MAIL_FROM": "1540 Secretariat <secretariat@example.org>"}
    result = CliRunner().invoke(app, ["demo"], env=env)
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "demo" / "outbox-mail").glob("*.eml"))
    assert len(files) == 6  # one PoC per UN language
    for path in files:
        mail = message_from_bytes(path.read_bytes(), policy=email_policy.default)
        assert mail["From"] == "1540 Secretariat <secretariat@example.org>"
        assert mail["List-Id"] == '"1540 Secretariat" <outreach.example.org>'
        assert re.fullmatch(r"<https://outreach\.example\.org/unsubscribe/\S+>",
                            str(mail["List-Unsubscribe"]))
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert str(mail["Message-ID"]).endswith("@outreach.example.org>")
