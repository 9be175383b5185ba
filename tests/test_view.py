"""extract.view, the entity view: marks by kind with tooltips, events linked to their evidence, right to left,
escaped everywhere; the short repr and the notebook view of a Document; `extract show`."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from extract.cli import app
from extract.doc import ActorMention
from extract.view import render

HOSTILE_TEXT = (
    "قافلة جديدة تدخل إدلب\n"
    "دخلت قافلة تضم 20 شاحنة عبر معبر باب الهوى أمس "
    "<script>document.body.dataset.pwned='script'</script> "
    "<img src=\"http://evil.example/x.png\" onerror=\"document.body.dataset.pwned='img'\"> "
    "</textarea></title></style><svg onload=\"document.body.dataset.pwned='svg'\"> "
    "\u202eقافلة\u202c javascript:alert(1) \"' &amp;"
)
HOSTILE_META = {
    "doc_id": "\"><script>document.body.dataset.pwned='id'</script>",
    "title": "<script>document.body.dataset.pwned='title'</script>عنوان",
    "url": "javascript:document.body.dataset.pwned='url'",
    "published": "2020-04-24",
}


@pytest.fixture(scope="module")
def hostile(nlp):
    """The record of an article whose text and metadata try to run script and load from the network."""
    return json.loads(json.dumps(hostile_doc(nlp).to_dict()))


def hostile_doc(nlp):
    """The hostile article as a Document whose NER found nothing but took the script for a name
    (whatever the shipped model tags, the view must show it as text)."""
    doc = nlp(HOSTILE_TEXT, **HOSTILE_META)
    doc.source = "</style><script>document.body.dataset.pwned='source'</script>"
    start = HOSTILE_TEXT.index("document.body.dataset.pwned='script'")
    end = start + len("document.body.dataset.pwned")
    doc.entities = []
    doc.actors = sorted([a for a in doc.actors if not a.extractor.startswith("ner")]
                        + [ActorMention(text=HOSTILE_TEXT[start:end], start=start, end=end, label="ORG",
                                        sentence=doc.sentence_index(start), extractor="ner:test", confidence=0.5)],
                        key=lambda m: (m.start, m.end))
    return doc


@pytest.fixture(scope="module")
def seed(nlp, seed_text):
    return nlp(seed_text, doc_id="seed", published="2020-04-24")


def test_seed_view_marks_every_kind_right_to_left(seed):
    html = render(seed, standalone=True)
    assert '<html lang="ar" dir="rtl">' in html and 'class="xv" dir="rtl" lang="ar"' in html
    for kind in ("convoy", "crossing", "date", "actor", "place"):
        assert f'<mark class="k-{kind}' in html, kind
    convoy = re.search(r'<mark class="k-convoy[^"]*" title="([^"]*)">قافلة تضم أكثر من 100 شاحنة', html)
    assert convoy and "size: ~101+ truck" in convoy.group(1) and "confidence:" in convoy.group(1)
    walid = re.search(r'title="(crossing: معبر &quot;الوليد”[^"]*)"', html).group(1)
    assert "id: al_walid_iraq" in walid and "en: Al-Walid crossing" in walid and "named: True" in walid
    assert html.count('<li id="event-') == len(seed.events) == 3
    assert '<a id="evidence-1"></a>' in html and 'href="#evidence-1"' in html


def test_evidence_of_one_event_is_highlighted(seed):
    html = render(seed, highlight=0)
    highlighted = "".join(re.findall(r'class="[^"]*\bhl\b[^"]*"[^>]*>([^<]*)<', html))
    assert "مئات الشاحنات" in highlighted and "قافلة تضم أكثر من 100 شاحنة" not in highlighted
    assert html.startswith("<style>") and "<script" not in html


def test_hostile_text_and_metadata_are_escaped(hostile):
    assert hostile["convoys"] and hostile["crossings"][0]["canonical"] == "bab_al_hawa"
    html = render(hostile, standalone=True)
    body = html.split("<body>", 1)[1]
    assert body.count("<script>") == 1  # the page's own, at the end
    for raw in ("<img", "<svg", "</textarea>", "onerror=\"", "onload=\"", "javascript:alert(1)\"", "\u202e"):
        assert raw not in body.split("<script>")[0], raw
    assert "&lt;script&gt;" in body and "=&#x27;script&#x27;&lt;/script&gt;" in body
    assert 'title="actor: document.body.dataset.pwned' in body  # NER took the script for a name: still text
    assert "⟨U+202E⟩قافلة⟨U+202C⟩" in body
    assert 'href="javascript' not in html and "&lt;script&gt;document.body.dataset.pwned=&#x27;title" in html


def test_document_repr_is_short_and_notebooks_get_the_view(seed):
    assert len(repr(seed)) < 300 and "convoys=3" in repr(seed) and "events=3" in repr(seed)
    view = seed._repr_html_()
    assert 'dir="rtl"' in view and "k-convoy" in view and "<html" not in view


def test_show_cli(tmp_path, seed):
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.jsonl").write_text(json.dumps(seed.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["show", str(out), "--id", "seed", "--to", str(tmp_path / "v.html"), "--event", "2"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert 'id="event-2" class="event hl"' in html and "Content-Security-Policy" in html
    missing = CliRunner().invoke(app, ["show", str(out), "--id", "nope", "--to", str(tmp_path / "w.html")])
    assert missing.exit_code == 1 and "nope" in missing.output
