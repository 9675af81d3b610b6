"""The web application in a real browser: Playwright driving Debian's Chromium (never `playwright install`) against
pytest-django's live server on a temporary SQLite database.

The story of a section: a manager edits a figure of their unit and sees the totals it feeds and its finding change
in place (htmx); a translator has no form for a figure and is refused one posted anyway; an officer edits a
figure, acknowledges an error with a reason and submits; a reviewer returns the section, the officer submits
again, the reviewer approves; a reader downloads the Chinese PDF and the new figure is in it as Chinese prints it.
And the Arabic interface reads right to left (a screenshot is saved; FASCICLE_SCREENSHOTS=DIR keeps a copy)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

from web_support import OTHER_STAFF, user

CHROMIUM = Path("/usr/lib/chromium/chromium")
# make test installs Debian's chromium: no skip that could hide a failure in CI.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("home")]
PASSWORD = "a long enough password"
SLUG = "itc-2024"
TIMEOUT = 60_000  # ms: a first PDF build (Typst, charts) takes a few seconds on a slow machine


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread while the module's tests run: Django would refuse
    # its ORM calls here (the test database's set-up included), though nothing here is asynchronous.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"],
                                                  headless=True)
            yield launched
            launched.close()




def session(browser: Any, live_server: Any, name: str, lang: str | None = None) -> Any:
    """A page of a fresh browser context, logged in through the login form as `name`."""
    context = browser.new_context(base_url=live_server.url, accept_downloads=True, locale="en-GB")
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button")
    page.wait_for_url(re.compile(r".*/$"))
    assert "/login/" not in page.url, page.content()
    if lang is not None:
        page.click(f"header form.languages button[value={lang}]")
        page.wait_for_load_state()
    return page


def row(page: Any, path: str) -> Any:
    return page.locator(f'tr[data-path="{path}"]')


def edit_figure(page: Any, path: str, new: str, reason: str) -> Any:
    """Open one figure's form in place, fill it and save it; return its row once htmx has swapped the answer in."""
    row(page, path).locator("button.edit-figure").click()
    target = row(page, path)
    target.locator("input[name=new]").wait_for()
    target.locator("input[name=new]").fill(new)
    target.locator("input[name=reason]").fill(reason)
    with page.expect_response(re.compile(r".*/edit/$")) as answer:
        target.locator("button").click()
    assert answer.value.status == 200, answer.value.text()
    swapped = row(page, path)
    swapped.locator(".ok").wait_for()
    return swapped


def total(target: Any, ref: str) -> str:
    return str(target.locator(f'.total[data-ref="{ref}"] strong').inner_text()).strip()


def state(page: Any) -> str:
    return str(page.locator("#status .state").get_attribute("data-state"))


def move(page: Any, action: str, text: str = "") -> None:
    form = page.locator(f'#workflow form:has(button[data-action="{action}"])')
    if text:
        form.locator("input[name=text]").fill(text)
    with page.expect_navigation():
        form.locator("button").click()


def test_a_manager_edits_a_figure_of_their_unit_and_sees_the_totals_and_the_finding_change(
        browser: Any, live_server: Any, seeded: Any) -> None:
    user("mia", ("manager", "DMD"))
    page = session(browser, live_server, "mia")
    page.goto(f"/sections/{SLUG}/figures/")
    path = "staffing[14].grades.P-4"  # DMD, 2024 proposed, regular budget: 6 posts at P-4
    before = row(page, path)
    assert before.get_attribute("data-value") == "6"
    assert total(before, "posts.rb.unit.DMD") == "32"
    assert total(before, "posts.all.total") == "180"
    assert before.locator(".finding").count() == 0
    # Another unit's figure is shown, not editable.
    assert row(page, "staffing[16].grades.P-4").locator("button.edit-figure, input").count() == 0

    after = edit_figure(page, path, "8", "two new posts")
    assert page.url.endswith(f"/sections/{SLUG}/figures/")  # swapped in place, no navigation
    assert total(after, "posts.rb.unit.DMD") == "34"
    assert total(after, "posts.rb.total") == "162"
    assert total(after, "posts.all.total") == "182"
    findings = after.locator(".findings").inner_text()
    assert "[PST004] P-4: 29 approved + 0 changes ≠ 31 proposed" in findings
    assert "Table 13.6, proposed for 2024, P-4 prints 29, the data gives 31" in findings
    assert after.locator("input[name=new]").input_value() == "8"
    # Reloaded, the page says the same: the edit is the head.
    page.reload()
    assert total(row(page, path), "posts.rb.unit.DMD") == "34"
    assert "[PST004]" in row(page, path).locator(".findings").inner_text()
    page.context.close()


def test_a_translator_cannot_edit_a_figure(browser: Any, live_server: Any, seeded: Any) -> None:
    dataset, _ = seeded
    user("tian", ("translator", "ITC", "zh"))
    page = session(browser, live_server, "tian")
    page.goto(f"/sections/{SLUG}/figures/")
    figure = row(page, OTHER_STAFF)
    assert figure.locator(".figure").inner_text() == "514.7"
    assert figure.locator("input, button").count() == 0
    page.goto(f"/sections/{SLUG}/")
    assert page.locator(".ack-form").count() == 0
    page.goto(f"/sections/{SLUG}/figures/")
    # Posted anyway, with the page's own CSRF token: refused, and nothing is stored.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(f"/sections/{SLUG}/edit/", headers={"X-CSRFToken": token, "Referer": page.url},
                               form={"part": "resources", "path": OTHER_STAFF, "old": "514.7", "new": "1",
                                     "reason": "mine", "category": "other", "base": str(dataset.head_id)})
    assert answer.status == 403
    page.reload()
    assert row(page, OTHER_STAFF).locator(".figure").inner_text() == "514.7"
    page.context.close()


def test_an_officer_acknowledges_and_submits_a_reviewer_returns_then_approves_a_reader_downloads_the_zh_pdf(
        browser: Any, live_server: Any, seeded: Any, tmp_path: Path) -> None:
    user("olga", ("officer", "ITC"))
    user("rita", ("reviewer", "ITC"))
    user("rob", ("reader", "ITC"))
    officer = session(browser, live_server, "olga")
    officer.goto(f"/sections/{SLUG}/figures/")
    assert state(officer) == "draft"
    edited = edit_figure(officer, OTHER_STAFF, "1234.5", "recosted")
    assert total(edited, "regular.total") == "38,656.3"  # 37,936.5 - 514.7 + 1,234.5

    # The officer acknowledges an error the edit made (RES003: the non-post line is no longer 2023 plus its
    # changes), with a reason.
    officer.goto(f"/sections/{SLUG}/")
    error = officer.locator('#findings li.error[data-code="RES003"]').filter(has_text="regular.non_post:")
    assert error.count() == 1, officer.locator("#findings").inner_text()
    blocking = int(re.findall(r"\d+", officer.locator("#summary").inner_text())[2])
    error.locator("input[name=reason]").fill("the change columns follow in the next revision")
    with officer.expect_navigation():
        error.locator("button").click()
    acknowledged = officer.locator('#findings li.acknowledged[data-code="RES003"]')
    assert acknowledged.count() == 1 and "regular.non_post:" in acknowledged.inner_text()
    assert "Acknowledged by olga on" in acknowledged.inner_text()
    assert "the change columns follow in the next revision" in acknowledged.inner_text()
    assert acknowledged.locator("form").count() == 0
    assert int(re.findall(r"\d+", officer.locator("#summary").inner_text())[2]) == blocking - 1
    move(officer, "submit")
    assert state(officer) == "submitted"
    assert officer.locator("#status .state").inner_text() == "Submitted"
    # Submitted, neither the figure nor a paragraph is editable any more.
    assert officer.locator("#document button.edit-text").count() == 0
    officer.goto(f"/sections/{SLUG}/figures/")
    assert row(officer, OTHER_STAFF).locator("button.edit-figure, input").count() == 0

    reviewer = session(browser, live_server, "rita")
    reviewer.goto(f"/sections/{SLUG}/")
    move(reviewer, "return", "explain the recosting in the narrative")
    assert state(reviewer) == "returned"
    assert reviewer.locator("#status .state").inner_text() == "Returned"
    assert "explain the recosting in the narrative" in reviewer.locator("section:has(h2:text('Comments'))").inner_text()

    officer.goto(f"/sections/{SLUG}/")
    move(officer, "submit")
    assert state(officer) == "submitted"

    reviewer.goto(f"/sections/{SLUG}/")
    assert reviewer.locator('#workflow button[data-action="approve"]').count() == 1
    move(reviewer, "approve")
    assert state(reviewer) == "approved"
    assert reviewer.locator("#status .state").inner_text() == "Approved"
    assert "approved by rita" in reviewer.locator(".locked").inner_text()
    history = reviewer.goto(f"/sections/{SLUG}/history/")
    assert history is not None and history.status == 200
    moves = reviewer.locator("table").nth(1).inner_text()
    assert all(word in moves for word in ("Submit", "Return", "Approve", "Returned", "Approved"))

    reader = session(browser, live_server, "rob")
    reader.goto(f"/sections/{SLUG}/")
    assert state(reader) == "approved"
    assert reader.locator("form:has(input[name=new])").count() == 0
    with reader.expect_download(timeout=TIMEOUT * 3) as download:
        reader.click('a.download[data-lang="zh"][data-kind="pdf"]')
    pdf = tmp_path / "zh.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text)
    assert "1 234.5" in flat  # Chinese groups thousands with a (no-break) space
    assert "38 656.3" in flat  # and the regular budget's new total
    assert "其他工作人员费用" in flat
    for page in (officer, reviewer, reader):
        page.context.close()


def test_the_arabic_interface_reads_right_to_left(browser: Any, live_server: Any, seeded: Any,
                                                  tmp_path: Path) -> None:
    user("olga", ("officer", "ITC"))
    page = session(browser, live_server, "olga")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/sections/{SLUG}/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.click('header form.languages button[value="ar"]')
    page.wait_for_load_state()
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    assert page.locator("h2").first.inner_text() == "التنزيلات"
    assert page.locator("#status .state").inner_text() == "مسودة"
    width = page.viewport_size["width"]
    # The brand opens the header: on the right in Arabic; the heading's text and a table's header cell start at
    # the right too.
    brand = page.locator("header .brand").bounding_box()
    assert brand is not None and brand["x"] > width / 2, brand
    heading = page.locator("h1")
    text_box = page.evaluate("""e => { const r = document.createRange(); r.selectNodeContents(e);
                                       const b = r.getBoundingClientRect(); return {x: b.x, width: b.width}; }""",
                             heading.element_handle())
    assert text_box["x"] > width / 2, text_box
    shot = tmp_path / "web-ar.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("FASCICLE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    page.goto(f"/sections/{SLUG}/figures/")
    figures_heading = page.locator("table.figures thead th").first
    assert page.evaluate("e => getComputedStyle(e).textAlign", figures_heading.element_handle()) == "start"
    assert page.evaluate("e => getComputedStyle(e).direction", figures_heading.element_handle()) == "rtl"
    # The choice stays: the next page is Arabic too.
    page.goto("/sections/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "الأبواب"
    page.context.close()


def test_an_officer_edits_a_paragraph_of_the_fascicle_in_place_and_comments_on_a_table_row(
        browser: Any, live_server: Any, seeded: Any) -> None:
    user("olga", ("officer", "ITC"))
    page = session(browser, live_server, "olga")
    page.goto(f"/sections/{SLUG}/")
    paragraph = page.locator('#document p[data-source="plan:foreword.paragraphs[0].text"]')
    assert "In 2024, the International Trade Centre (ITC) will continue" in paragraph.inner_text()
    # The overlay's edit button turns the paragraph into its form, in place.
    paragraph.locator("button.edit-text").click()
    form = page.locator(".para-edit form")
    form.wait_for()
    form.locator("textarea").fill("In 2024, ITC will <b>grow</b> trade.")
    form.locator("input[name=reason]").fill("shorter")
    with page.expect_response(re.compile(r".*/edit/$")) as answer:
        form.locator("button").click()
    assert answer.value.status == 200, answer.value.text()
    saved = page.locator(".para-edit")
    saved.locator(".ok").wait_for()
    assert saved.locator("p.para").inner_text() == "In 2024, ITC will <b>grow</b> trade."
    assert page.url.endswith(f"/sections/{SLUG}/")
    page.reload()
    assert "In 2024, ITC will <b>grow</b> trade." in page.locator("#document").inner_text()
    assert page.locator("#document b").count() == 0
    # A table row's comment button opens its thread beside the document; a comment there counts on the row.
    row = page.locator('#document tr.item[data-anchor]').first
    anchor = row.get_attribute("data-anchor")
    row.locator("button.comment-anchor").click()
    panel = page.locator("#thread .thread-panel")
    panel.wait_for()
    panel.locator(".new-thread input[name=text]").fill("Please check this line.")
    panel.locator(".new-thread button").click()
    page.locator("#thread .thread .comment").wait_for()
    assert "Please check this line." in page.locator("#thread").inner_text()
    page.reload()
    counted = page.locator(f'#document tr[data-anchor="{anchor}"] button.has-comments')
    assert counted.inner_text() == "Comment (1)"
    # Resolved from the thread, the row has no open thread left.
    counted.click()
    page.locator("#thread .resolve-form button").click()
    page.locator("#thread .resolved-note").wait_for()
    page.reload()
    assert page.locator(f'#document tr[data-anchor="{anchor}"] button.has-comments').count() == 0
    # The charts are the revision's drawings, loaded as images.
    image = page.locator("#document figure img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function("e => e.complete && e.naturalWidth > 0", arg=image.element_handle())
    page.context.close()


def test_an_officer_edits_a_figure_of_a_table_of_the_fascicle_in_place(browser: Any, live_server: Any,
                                                                      seeded: Any) -> None:
    user("olga", ("officer", "ITC"))
    page = session(browser, live_server, "olga")
    page.goto(f"/sections/{SLUG}/")
    source = "resources:regular.lines[0].values.2024 proposed"  # Table 13.5, posts, 2024: 29,780.0
    cell = page.locator(f'#document td[data-cell="{source}"]')
    table = page.locator("#document table:has(td[data-cell='resources:regular.lines[0].values.2024 proposed'])")
    total = table.locator("tr.total").first
    assert "37,936.5" in total.inner_text()
    cell.locator("button.edit-cell").click()
    form = cell.locator(".cell-edit form")
    form.wait_for()
    form.locator("input[name=new]").fill("29800")
    form.locator("input[name=reason]").fill("recosting")
    with page.expect_response(re.compile(r".*/edit/$")) as answer:
        form.locator("button").click()
    assert answer.value.status == 200, answer.value.text()
    cell.locator(".ok").wait_for()
    assert cell.locator(".figure").inner_text() == "29800"
    page.reload()
    # The next revision's fascicle: the figure and the total it feeds (37,936.5 + 20).
    assert page.locator(f'#document td[data-cell="{source}"]').inner_text().startswith("29,800.0")
    assert "37,956.5" in page.locator("#document table:has(td[data-cell='" + source + "']) tr.total").first.inner_text()
    page.context.close()
