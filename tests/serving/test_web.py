"""The web page in Chromium: fill the form, get results, feedback, language, error path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from movia.serving.events import EventStore
from tests.serving.browser import CHROMIUM, chromium_page
from tests.serving.conftest import HOSTILE_BLURB, LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run)"
    ),
]


def test_a_person_gets_recommendations_and_reacts(
    server: LiveServer, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    with chromium_page() as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server.url)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", name="MovIA")).to_be_visible()

        # Autocomplete with the keyboard: type, arrow, Enter.
        title = page.get_by_label("Busca un título y pulsa Intro")
        title.fill("toy")
        option = page.get_by_role("option", name="Toy Story (1995)")
        expect(option).to_be_visible()
        title.press("ArrowDown")
        title.press("ArrowUp")
        title.press("Enter")
        expect(page.locator("#liked-list li")).to_have_text(["Toy Story×"])

        cards = page.locator("#result-list > li")
        expect(cards).to_have_count(10)  # k = 10 of the 11 films not named
        expect(page.get_by_role("status")).to_have_text("10 recomendaciones.")
        aladdin = cards.filter(has=page.get_by_role("heading", name="Aladdin"))
        expect(aladdin).to_contain_text(
            "1992 · Aventura, Animación, Infantil, Comedia, Musical"
        )
        expect(aladdin).to_contain_text("Porque te gustó Toy Story")
        expect(aladdin).to_contain_text(
            "Reseñas: 82 % positivas (120 reseñas) · buena acogida"
        )

        aladdin.get_by_role("button", name="Me gusta: Aladdin").click()
        expect(page.get_by_role("status")).to_have_text(
            "¡Gracias! Lo tendremos en cuenta."
        )
        expect(
            aladdin.get_by_role("button", name="Me gusta: Aladdin")
        ).to_have_attribute("aria-pressed", "true")

        # The machine-written review is labelled and inserted as text: nothing runs.
        aladdin.get_by_text("Más detalles").click()
        expect(aladdin.locator("blockquote")).to_have_text(HOSTILE_BLURB)
        expect(aladdin).to_contain_text("Reseña escrita por IA")
        assert page.evaluate("window.__xss") is None

        # Genres in Spanish, sent in English; fewer results on request.
        page.get_by_label("Animación").check()
        page.get_by_label("Cuántas").select_option("5")
        expect(cards).to_have_count(5)
        expect(cards.first.get_by_role("heading")).to_have_text(
            re.compile("Aladdin|The Lion King")
        )

        page.get_by_role("button", name="Cambiar el idioma a inglés").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", name="Recommendations")).to_be_visible()
        expect(aladdin).to_contain_text("Reviews: 82% positive (120 reviews)")
        expect(aladdin).to_contain_text("Because you liked Toy Story")
        page.screenshot(path=str(tmp_path / "web.png"), full_page=True)
        assert not errors

    store = EventStore(server.settings.event_store)
    try:
        feedback = store.query("SELECT movie_id, action FROM feedback ORDER BY id")
    finally:
        store.close()
    assert (588, "like") in feedback and (588, "click") in feedback
    assert (tmp_path / "web.png").stat().st_size > 10_000


def test_errors_show_in_the_alert_region(server: LiveServer) -> None:
    from playwright.sync_api import expect

    with chromium_page() as page:
        page.goto(server.url)
        page.get_by_text("¿Tienes un usuario de MovieLens?").click()
        user = page.get_by_label("Id de usuario (deja vacío para usar tus gustos)")
        user.fill("99999")
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("unknown user id(s): 99999")
        expect(user).to_have_attribute("aria-invalid", "true")

        user.fill("abc")
        expect(alert).to_contain_text(
            "El id de usuario debe ser un número entero positivo."
        )

        user.fill("")
        page.get_by_label("¿Qué te apetece ver?").fill(
            "<script>window.__xss=3</script>"
        )
        expect(page.get_by_role("status")).to_have_text(re.compile(r"recomendaci"))
        expect(alert).to_be_hidden()
        assert page.evaluate("window.__xss") is None
