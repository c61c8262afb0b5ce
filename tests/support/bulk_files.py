"""Large, valid import files of invented rows (people on example.org), for specs where
several importers write at once (tests/e2e/test_sqlite_writers.py)."""

from datetime import date, timedelta
from pathlib import Path

# Member States of several regions; PoCs are spread over them
STATES = ("FRA", "KEN", "MEX", "DEU", "BRA", "JPN", "EGY", "IND", "CAN", "NGA", "CHL", "VNM")
FIRST_DAY = date(2005, 1, 3)


def events_file(path: Path, count: int, series: str) -> Path:
    """`count` outreach events whose titles are the series' own, so files never overlap."""
    lines = ["start_date,title,city,country,mode,type,audiences"]
    for number in range(count):
        day = FIRST_DAY + timedelta(days=number % 5000)
        state = STATES[number % len(STATES)]
        lines.append(f"{day.isoformat()},Invented workshop {series}-{number},Capital,"
                     f"{state},in_person,workshop,states")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pocs_file(path: Path, count: int) -> Path:
    """`count` Points of Contact, each with an address of their own."""
    lines = ["party,full_name,email,language"]
    for number in range(count):
        state = STATES[number % len(STATES)]
        lines.append(f"{state},Invented Person {number}-Test,poc{number}@example.org,en")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
