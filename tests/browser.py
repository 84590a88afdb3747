"""Helpers for the Chromium tests."""

LANGUAGE_BUTTON = {"nb": "Norsk (bokmål)", "nn": "Norsk (nynorsk)", "en": "English"}


def choose_language(page, language: str) -> None:
    """Press the language switcher's button, as a person would (works with and without JavaScript)."""
    page.get_by_role("button", name=LANGUAGE_BUTTON[language]).click()
    page.wait_for_load_state()
