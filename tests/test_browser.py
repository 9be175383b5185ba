"""In a real browser (headless Chromium): the report and an entity view render, right to left,
with the expected rows; hostile articles run no script; no request leaves the machine."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

from extract.report import article_file, write_report
from extract.view import render
from tests.browser import Proxy, dump_dom, needs_chromium, screenshot
from tests.test_report import records

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def report(tmp_path_factory, nlp, seed_text):
    return write_report(records(nlp, seed_text), tmp_path_factory.mktemp("report") / "rep")


@pytest.fixture()
def proxy():
    proxy = Proxy()
    yield proxy
    proxy.close()


def pixels(png) -> np.ndarray:
    import matplotlib.image

    return (matplotlib.image.imread(png)[..., :3] * 255).round().astype(int)


def share_of(image: np.ndarray, rgb: tuple[int, int, int]) -> float:
    """Share of pixels within a few levels of a colour."""
    return float((np.abs(image - np.array(rgb)).max(axis=-1) <= 6).mean())


def test_the_proxy_sees_what_a_page_loads(tmp_path, proxy):
    page = tmp_path / "leak.html"
    page.write_text('<img src="http://evil.example/control.png">', encoding="utf-8")
    dump_dom(page, proxy=proxy)
    assert any("evil.example/control.png" in r for r in proxy.page_requests)


def test_report_renders_its_rows_and_loads_nothing(report, proxy):
    dom = dump_dom(report, proxy=proxy)
    assert proxy.page_requests == []
    assert len(re.findall(r'<tr class="event">', dom)) == 5
    assert re.search(r'<td (?=[^>]*dir="rtl")(?=[^>]*lang="ar")[^>]*>بعد 67 شهرا', dom)
    assert "data-pwned" not in dom and "&lt;script&gt;document.body.dataset.pwned" in dom


def test_report_table_filters_and_sorts_as_its_address_says(report, proxy):
    def shown(fragment):
        dom = dump_dom(report, fragment, proxy=proxy)
        rows = [re.findall(r"<td[^>]*>(.*?)</td>", row)[:4] for row in re.findall(r'<tr class="event">(.*?)</tr>', dom)]
        return re.search(r'<span id="shown">(\d+)</span>', dom).group(1), re.findall(r'<th aria-sort="(\w+)">(\w+)', dom), rows

    count, sort, rows = shown("#sort=1&dir=d")  # size, the largest first, unknown last (not as 0)
    assert count == "5" and sort == [("descending", "size")]
    assert [row[1] for row in rows] == ["~200–999", "~101+", "~101+", "20", "?"]
    count, sort, rows = shown("#q=walid&sort=0&dir=a")  # the Al-Walid crossing's events by date
    assert count == "2" and sort == [("ascending", "date")]
    assert [row[0] for row in rows] == ["2020-04-23", "2020-04-24"] and all("Al-Walid" in row[3] for row in rows)
    assert proxy.page_requests == []


def test_report_screenshot_is_not_blank(report, tmp_path):
    image = pixels(screenshot(report, tmp_path / "report.png"))
    assert share_of(image, (255, 255, 255)) < 0.95
    assert share_of(image, (0x1d, 0x35, 0x57)) > 0  # timeline markers
    assert share_of(image, (0xf4, 0xf8, 0xfb)) > 0.02  # the map's sea


def test_entity_view_highlights_the_evidence_of_the_linked_event(report, proxy):
    view = report.parent / article_file("seed")
    dom = dump_dom(view, "#event-1", proxy=proxy)
    assert proxy.page_requests == []
    assert '<html lang="ar" dir="rtl">' in dom
    highlighted = "".join(re.findall(r'class="[^"]*\bhl\b[^"]*"[^>]*>([^<]*)<', dom))
    assert "قافلة تضم أكثر من 100 شاحنة" in highlighted and "مئات الشاحنات" not in highlighted
    assert 'id="event-1" class="event hl"' in dom  # set by the page's script: the CSP lets it run


def test_entity_view_screenshot_shows_coloured_marks(report, tmp_path):
    image = pixels(screenshot(report.parent / article_file("seed"), tmp_path / "view.png", size="1100,1400"))
    assert share_of(image, (0xf4, 0xa2, 0x61)) > 0  # convoy orange
    assert share_of(image, (0xcd, 0xb4, 0xdb)) > 0.002  # actor lilac
    left, right = image[:, :550], image[:, 550:]
    assert share_of(right, (255, 255, 255)) < share_of(left, (255, 255, 255))  # text starts at the right


def test_hostile_article_runs_nothing(tmp_path, nlp, proxy):
    from tests.test_view import hostile_doc

    page = tmp_path / "hostile.html"
    page.write_text(render(hostile_doc(nlp), standalone=True), encoding="utf-8")
    dom = dump_dom(page, "#event-0", proxy=proxy)
    assert proxy.page_requests == []
    assert "data-pwned" not in dom and "<img" not in dom and "<svg" not in dom
    shown = html.unescape(re.sub(r"<[^>]+>", "", dom.split('<div class="text">')[1]))
    for piece in ('="http://evil.example/x.png" onerror="', "</textarea></title></style><", "<script>", "⟨U+202E⟩قافلة"):
        assert piece in shown, piece
    assert 'href="javascript' not in dom
