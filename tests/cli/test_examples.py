"""The example files in examples/ import cleanly, as the README promises."""


from tests.support.cli import Invoke
from tests.support.paths import REPO

EXAMPLES = REPO / "examples"


def test_the_example_files_import_and_show_up_in_the_figures(outreach: Invoke) -> None:
    pocs = outreach("import", "pocs", str(EXAMPLES / "pocs.csv"))
    assert pocs.exit_code == 0, pocs.output
    assert "6 created" in pocs.output
    subs = outreach("import", "submissions", str(EXAMPLES / "submissions.csv"))
    assert subs.exit_code == 0, subs.output
    status = outreach("status", "--since", "2016-01-01").output
    assert "States that have submitted a first report: 4" in status
    assert "States with at least one active Point of Contact: 3" in status


def test_the_assistance_example_imports(outreach: Invoke) -> None:
    result = outreach("import", "assistance", str(EXAMPLES / "assistance.csv"))
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    assert '"status": "met"' in outreach("assistance", "list", "--state", "VNM", "--format",
                                         "json").output


def test_the_peer_reviews_example_imports(outreach: Invoke) -> None:
    result = outreach("import", "peer-reviews", str(EXAMPLES / "peer_reviews.csv"))
    assert result.exit_code == 0, result.output
    assert "4 created" in result.output
    report = " ".join(outreach("report", "--from", "2016-01-01", "--to", "2022-04-15").output
                      .split())
    assert "4 peer reviews were conducted among 9 States" in report
