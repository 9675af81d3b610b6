"""Issue 9: side-by-side translation, outdated texts first, by the hash of the source text each translation was
made from or confirmed against (fascicle.translation; the hashes in budgets.Translation, written by the service)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from fascicle import edit as edit_api
from fascicle.translation import source_hash
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Revision, Translation
from web_support import logged_in, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]

PARAGRAPH = "foreword.paragraphs[0].text"
"""The foreword's first paragraph: English in the seed (the section's original), with its Chinese translation."""



def value(dataset: Any, path: str) -> str:
    dataset.refresh_from_db()
    return str(edit_api.value_at(service.head_texts(dataset), "plan", path))


def set_english(dataset: Any, officer: Any, text: str) -> None:
    service.edit(dataset, officer, [edit_api.Edit("plan", f"{PARAGRAPH}.en", value(dataset, f"{PARAGRAPH}.en"),
                                                  text)], "reworded", "other", None)
    dataset.refresh_from_db()


def rows(page: str) -> list[tuple[str, str, str]]:
    """(status, part, path) of each row of the translation page, in its order."""
    return re.findall(r'<tr id="[^"]*" class="entry" data-status="(\w+)" data-part="(\w+)" data-path="([^"]*)"',
                      page)


@pytest.fixture
def translator(seeded: Any) -> Any:
    return user("tina", ("translator", "ITC", "zh"))


def test_a_translator_of_chinese_sees_the_two_columns_and_the_progress(seeded: Any, translator: Any) -> None:
    dataset, _ = seeded
    section = logged_in(translator).get(f"/sections/{dataset.slug}/")
    assert f'href="/sections/{dataset.slug}/translate/zh/"' in section.content.decode()
    response = logged_in(translator).get(f"/sections/{dataset.slug}/translate/zh/")
    assert response.status_code == 200
    page = response.content.decode()
    found = rows(page)
    assert found and all(status == "unconfirmed" for status, _, _ in found)  # imported, never confirmed
    assert ("unconfirmed", "plan", PARAGRAPH) in found
    assert 'data-status="unconfirmed">' in page and f"<strong>{len(found)}</strong>" in page
    assert value(dataset, f"{PARAGRAPH}.en")[:30] in page and value(dataset, f"{PARAGRAPH}.zh")[:10] in page
    assert 'hx-post="/sections/itc-2024/translate/zh/save/"' in page
    assert 'hx-post="/sections/itc-2024/translate/zh/confirm/"' in page


def test_an_edited_source_puts_its_translation_first_as_outdated_until_confirmed_or_redone(
        seeded: Any, officer: Any, translator: Any) -> None:
    dataset, _ = seeded
    client = logged_in(translator)
    url = f"/sections/{dataset.slug}/translate/zh/"
    # The translator confirms the paragraph's Chinese text against the English of the seed: current.
    service.confirm_translation(dataset, translator, "plan", PARAGRAPH, "zh")
    assert ("current", "plan", PARAGRAPH) in rows(client.get(url).content.decode())
    # An officer rewords the English: the Chinese is now outdated, and first.
    set_english(dataset, officer, "The Centre's new wording of its foreword.")
    found = rows(client.get(url).content.decode())
    assert found[0] == ("outdated", "plan", PARAGRAPH)
    assert [s for s, _, _ in found].count("outdated") == 1
    # The translator confirms it unchanged (htmx): current, with the new source's hash.
    response = client.post(f"{url}confirm/", {"part": "plan", "path": PARAGRAPH}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert rows(response.content.decode()) == [("current", "plan", PARAGRAPH)]
    row = Translation.objects.get(dataset=dataset, part="plan", path=PARAGRAPH, language="zh")
    assert (row.source_sha256, row.confirmed_by) == (source_hash("The Centre's new wording of its foreword."),
                                                     translator)
    assert rows(client.get(url).content.decode())[-1][0] == "current"
    # The English changes again; the translator saves a new Chinese text: a revision, and current again.
    set_english(dataset, officer, "The Centre's third wording.")
    assert rows(client.get(url).content.decode())[0] == ("outdated", "plan", PARAGRAPH)
    before = Revision.objects.filter(dataset=dataset).count()
    response = client.post(f"{url}save/", {"part": "plan", "path": PARAGRAPH, "old": value(dataset, f"{PARAGRAPH}.zh"),
                                           "new": "中心的第三种措辞。", "base": dataset.head_id},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content[:500]
    assert rows(response.content.decode()) == [("current", "plan", PARAGRAPH)]
    assert Revision.objects.filter(dataset=dataset).count() == before + 1
    dataset.refresh_from_db()
    assert dataset.head.author == translator and dataset.head.category == "translation"
    assert value(dataset, f"{PARAGRAPH}.zh") == "中心的第三种措辞。"
    row.refresh_from_db()
    assert row.source_sha256 == source_hash("The Centre's third wording.")


def test_only_a_translator_of_the_language_may_confirm(seeded: Any, officer: Any, translator: Any) -> None:
    dataset, _ = seeded
    french = user("fred", ("translator", "ITC", "fr"))
    for who in (officer, french):
        with pytest.raises(PermissionDenied):
            service.confirm_translation(dataset, who, "plan", PARAGRAPH, "zh")
    assert not Translation.objects.exists()


def test_a_translator_of_another_language_is_refused_and_a_reader_does_not_see_the_draft(seeded: Any) -> None:
    dataset, _ = seeded
    url = f"/sections/{dataset.slug}/translate/zh/"
    french = logged_in(user("fred", ("translator", "ITC", "fr")))
    assert french.get(url).status_code == 403
    assert french.post(f"{url}confirm/", {"part": "plan", "path": PARAGRAPH}).status_code == 403
    reader = logged_in(user("rita", ("reader", "ITC")))
    assert reader.get(url).status_code == 404
    assert reader.post(f"{url}save/", {"part": "plan", "path": PARAGRAPH, "new": "x"}).status_code == 404
    assert not Translation.objects.exists()


def test_an_officer_reads_the_page_without_forms(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    response = logged_in(officer).get(f"/sections/{dataset.slug}/translate/zh/")
    assert response.status_code == 200
    assert "hx-post" not in response.content.decode()
    assert logged_in(officer).get(f"/sections/{dataset.slug}/translate/xx/").status_code == 404


def test_text_from_the_data_is_escaped(seeded: Any, officer: Any, translator: Any) -> None:
    dataset, _ = seeded
    set_english(dataset, officer, "<script>alert('x')</script> & more")
    page = logged_in(translator).get(f"/sections/{dataset.slug}/translate/zh/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
