"""Fixtures shared by the chat specs."""

import pytest
from sqlmodel import Session

from tests.support.chair import add_poc
from tests.support.chair_chat import POC_CHAT, add_staff


@pytest.fixture
def people(session: Session) -> dict[str, int]:
    add_staff(session)
    return {
        "claire": add_poc(session, "FRA", "Claire Invented", email="claire@example.org",
                          chat_id=41, language="fr"),
        "olivia": add_poc(session, "GBR", "Olivia Invented", email="olivia@example.org"),
        "ivan": add_poc(session, "RUS", "Ivan Invented", email="ivan@example.org",
                        language="ru"),
        "silent": add_poc(session, "SEN", "Silent Invented", language="fr"),
        "poc": add_poc(session, "CIV", "Test PoC", email="poc@example.org", chat_id=POC_CHAT),
    }
