"""Reading messy archives: encodings, mojibake, JSONL/CSV/HTML rows, sidecars, bad items."""

from __future__ import annotations

import codecs
import gzip
import json
import os

import pytest

from extract.doc import headline
from extract.io.encodings import DecodeError, decode, repair_mojibake
from extract.io.readers import Article, BadItem, ReadOptions, read_inputs

ARTICLE = "دخلت قافلة تضم 75 شاحنة عبر معبر الوليد إلى ريف الحسكة."


@pytest.mark.parametrize("data, encoding", [
    (ARTICLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
    (ARTICLE.encode("utf-16"), "utf-16"),
    (ARTICLE.encode("utf-16-le"), "utf-16-le"),
    (ARTICLE.encode("utf-16-be"), "utf-16-be"),
    (ARTICLE.encode("cp1256"), "cp1256"),
])
def test_decode_arabic_encodings(data, encoding):
    text, detected, warnings = decode(data)
    assert text == ARTICLE
    assert detected == encoding
    assert warnings == ()


def test_undecodable_bytes_raise_a_clear_error():
    with pytest.raises(DecodeError, match="byte-order mark"):
        decode(codecs.BOM_UTF8 + b"\xff\xfe\xfd" * 10)


def test_mojibake_utf8_read_as_cp1256_is_repaired():
    broken = ARTICLE.encode("utf-8").decode("cp1256")
    assert broken != ARTICLE
    assert repair_mojibake(broken) == ARTICLE


def test_mojibake_utf8_read_as_latin1_is_repaired():
    broken = ARTICLE.encode("utf-8").decode("latin-1")
    assert repair_mojibake(broken) == ARTICLE


def test_clean_text_is_left_alone():
    assert repair_mojibake(ARTICLE) == ARTICLE


def test_headline_detection():
    assert headline("قافلة جديدة للتحالف\nدخلت قافلة جديدة.") == "قافلة جديدة للتحالف"
    assert headline("دخلت قافلة جديدة.\nثم غادرت.") is None
    assert headline("سطر واحد فقط") is None


def items(tmp_path, **options):
    return list(read_inputs([tmp_path], ReadOptions(**options)))


def test_folder_of_mixed_files(tmp_path):
    (tmp_path / "a.txt").write_text("عنوان\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"published": "2020-04-24", "url": "http://x"}', encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(ARTICLE.encode("cp1256"))
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "d.pdf").write_bytes(b"%PDF")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "e.txt").write_bytes(ARTICLE.encode("utf-16"))
    got = items(tmp_path)
    assert [type(i).__name__ for i in got] == ["Article", "Article", "BadItem", "BadItem", "Article"]
    a, b, c, d, e = got
    assert (a.doc_id, a.title, a.published, a.url) == ("a", "عنوان", "2020-04-24", "http://x")
    assert b.text == ARTICLE and b.doc_id == "b"
    assert c.reason == "empty file"
    assert "unsupported file type .pdf" in d.reason
    assert e.doc_id == "sub/e" and e.text == ARTICLE


def test_jsonl_with_broken_and_incomplete_lines(tmp_path):
    lines = [
        json.dumps({"id": "x1", "text": ARTICLE, "published": "2020-01-02"}, ensure_ascii=False),
        '{"id": "x2", "text": "بلا نهاية',
        "",
        json.dumps({"id": "x3", "title": "no text"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": ARTICLE, "date": "2021-05-06"}, ensure_ascii=False),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    got = items(tmp_path)
    assert isinstance(got[0], Article) and got[0].published == "2020-01-02" and got[0].line == 1
    assert isinstance(got[1], BadItem) and got[1].line == 2 and got[1].reason.startswith("malformed JSON line")
    assert isinstance(got[2], BadItem) and got[2].line == 4 and "missing or empty 'text'" in got[2].reason
    assert isinstance(got[3], BadItem) and got[3].line == 5 and "expected a JSON object" in got[3].reason
    assert isinstance(got[4], Article) and got[4].doc_id == "feed:6" and got[4].published == "2021-05-06"
    assert got[0].title is None


def test_jsonl_text_starting_with_a_headline_gets_it_as_title(tmp_path):
    row = {"id": "h1", "text": "قافلة جديدة تدخل إدلب\n" + ARTICLE}
    (tmp_path / "feed.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = items(tmp_path)
    assert article.title == "قافلة جديدة تدخل إدلب"


def test_jsonl_gz_and_per_line_encodings(tmp_path):
    rows = [json.dumps({"id": "g1", "text": ARTICLE}, ensure_ascii=False).encode("utf-8"),
            json.dumps({"id": "g2", "text": ARTICLE}, ensure_ascii=False).encode("cp1256")]
    with gzip.open(tmp_path / "feed.jsonl.gz", "wb") as out:
        out.write(b"\n".join(rows))
    got = items(tmp_path)
    assert [(i.doc_id, i.text) for i in got] == [("g1", ARTICLE), ("g2", ARTICLE)]


def test_csv_with_custom_columns_and_a_bad_row(tmp_path):
    (tmp_path / "t.csv").write_text(
        'body,key,day\n"' + ARTICLE + '",k1,2020-02-03\n,k2,2020-02-04\n"' + ARTICLE + '",k3,\n', encoding="cp1256")
    got = items(tmp_path, text_field="body", id_field="key", date_field="day")
    assert [(type(i).__name__, i.doc_id) for i in got] == [("Article", "k1"), ("BadItem", "k2"), ("Article", "k3")]
    assert got[0].published == "2020-02-03" and got[0].text == ARTICLE
    assert got[1].line == 3


def test_csv_without_the_text_column(tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (bad,) = items(tmp_path)
    assert "no 'text' column" in bad.reason


def test_too_large_article(tmp_path):
    (tmp_path / "big.txt").write_text(ARTICLE * 100, encoding="utf-8")
    (bad,) = items(tmp_path, max_chars=1000)
    assert bad.reason.startswith("too large")


def test_missing_path():
    (bad,) = list(read_inputs(["/no/such/folder"]))
    assert bad.reason == "no such file or directory"


def test_html_page_gives_title_body_and_date(tmp_path):
    page = (
        '<html><head><title>قافلة جديدة</title><meta property="article:published_time" content="2020-04-24">'
        "</head><body><nav>الرئيسية | أخبار</nav><article><h1>قافلة جديدة</h1>"
        "<p>دخلت قافلة جديدة للتحالف الدولي إلى قاعدة الشدادي في ريف الحسكة الجنوبي، قادمة من إقليم "
        "كردستان العراق عبر معبر الوليد، وتتألف من 75 شاحنة.</p>"
        "<p>وكان المرصد السوري لحقوق الإنسان قد رصد دخول قافلة مماثلة.</p></article>"
        "<footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    (tmp_path / "blank.html").write_text("<html><body><script>var a = 1;</script></body></html>", encoding="utf-8")
    blank, article = items(tmp_path)
    assert blank.reason == "no article text found in HTML"
    assert article.title == "قافلة جديدة" and article.published == "2020-04-24"
    assert article.text.startswith("قافلة جديدة\nدخلت قافلة جديدة للتحالف الدولي")
    assert "الرئيسية" not in article.text and "الحقوق" not in article.text


def test_estimate_count(tmp_path):
    from extract.io.readers import estimate_count

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n{bad\n', encoding="utf-8")
    (tmp_path / "c.csv").write_text("text\nx\ny\n", encoding="utf-8")
    assert estimate_count([tmp_path, tmp_path / "missing"]) == 1 + 3 + 2
    with gzip.open(tmp_path / "d.jsonl.gz", "wb") as out:
        out.write(b'{"text": "x"}\n')
    assert estimate_count([tmp_path]) is None


def test_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as out:
        out.truncate(50_000)  # a sparse file: its size is known without reading it
    monkeypatch.setattr(type(big), "read_bytes", lambda self: pytest.fail("the file was read"))
    (bad,) = items(tmp_path, max_chars=1000)
    assert bad.reason == "too large: 50,000 bytes (limit 1,000 characters)"


def test_utf8_with_a_stray_byte_is_read_as_utf8_with_a_warning(tmp_path):
    data = ARTICLE.encode("utf-8")
    (tmp_path / "a.txt").write_bytes(data[:9] + b"\xff" + data[9:])
    (tmp_path / "b.txt").write_bytes(data[:10] + data[11:])  # half a letter cut out
    stray, cut = items(tmp_path)
    assert stray.text == ARTICLE[:5] + "\ufffd" + ARTICLE[5:]
    assert stray.warnings == ("1 invalid UTF-8 byte sequence(s) replaced with U+FFFD",)
    assert cut.text == ARTICLE[:5] + "\ufffd" + ARTICLE[6:] and cut.warnings


def test_cp1256_is_not_mistaken_for_damaged_utf8():
    assert decode(ARTICLE.encode("cp1256")) == (ARTICLE, "cp1256", ())


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_jsonl_in_utf16_is_read_line_by_line(tmp_path, encoding):
    rows = [{"id": "u1", "text": ARTICLE}, {"id": "u2", "text": ARTICLE + " 2"}]
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    (tmp_path / "feed.jsonl").write_bytes(lines.encode(encoding))
    assert [(i.doc_id, i.text, i.line) for i in items(tmp_path)] == [("u1", ARTICLE, 1), ("u2", ARTICLE + " 2", 2)]


def test_poison_lines_become_bad_items_and_reading_goes_on(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    rows = ['{"id": "a", "text": %s, "x": %s}' % (json.dumps(ARTICLE), deep),
            '{"id": "\\ud800", "text": %s}' % json.dumps(ARTICLE),
            '{"id": "s", "text": "%s \\udc80"}' % ARTICLE,
            json.dumps({"id": "ok", "text": ARTICLE}, ensure_ascii=False)]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows), encoding="utf-8")
    deep_line, surrogate_id, surrogate_text, ok = items(tmp_path)
    assert isinstance(deep_line, BadItem) and deep_line.reason == "malformed JSON line: nested too deeply"
    assert surrogate_id.doc_id == "\\ud800"
    assert surrogate_text.text == ARTICLE + " \\udc80" and surrogate_text.warnings
    assert ok.doc_id == "ok"


def test_corrupt_gzip_keeps_the_lines_before_and_reports_the_file(tmp_path):
    good = json.dumps({"id": "g1", "text": ARTICLE}, ensure_ascii=False).encode("utf-8") + b"\n"
    data = gzip.compress(good * 2000)
    (tmp_path / "a.jsonl.gz").write_bytes(data[: len(data) // 2] + b"\x00" * 64 + data[len(data) // 2:])
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    got = items(tmp_path)
    bad = [i for i in got if isinstance(i, BadItem)]
    assert len(bad) == 1 and bad[0].source.endswith("a.jsonl.gz") and bad[0].reason.startswith("cannot read file")
    assert got[-1].doc_id == "b"


def test_undecodable_file_name_gets_an_escaped_id(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    (article,) = items(tmp_path)
    assert article.doc_id == "caf\\udce9" and article.text == ARTICLE
    article.source.encode("utf-8")


def test_bad_sidecars_make_the_article_bad_not_the_run(tmp_path):
    for name, meta in [("deep", "[" * 100_000), ("list", "[1]"), ("num", '{"title": 5, "published": 20200424}')]:
        (tmp_path / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
        (tmp_path / f"{name}.meta.json").write_text(meta, encoding="utf-8")
    deep, listed, num = items(tmp_path)
    assert deep.reason == "unreadable sidecar deep.meta.json: nested too deeply"
    assert listed.reason == "sidecar list.meta.json holds list, expected a JSON object"
    assert (num.title, num.published) == ("5", "20200424")


def test_output_folder_is_not_read_as_input(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.jsonl").write_text(json.dumps({"id": "old", "text": ARTICLE}) + "\n", encoding="utf-8")
    assert [i.doc_id for i in read_inputs([tmp_path], exclude=out)] == ["a"]
    (bad,) = read_inputs([out / "articles.jsonl"], exclude=out)
    assert "inside the output folder" in bad.reason


def test_symlink_loop_and_unreadable_folder_are_reported(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path):  # root can read any folder: refuse this one as a non-root user would be refused
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    got = items(tmp_path)
    assert [type(i).__name__ for i in got] == ["Article", "BadItem", "BadItem"]
    assert got[1].reason == "cannot read folder: Permission denied" and got[1].source.endswith("locked")
    assert got[2].reason.startswith("symbolic link loop") and got[2].source.endswith("sub/up")


def test_explicit_id_column_must_exist(tmp_path):
    (tmp_path / "t.csv").write_text('text,key\n"' + ARTICLE + '",k1\n', encoding="utf-8")
    (tmp_path / "f.jsonl").write_text(json.dumps({"text": ARTICLE}, ensure_ascii=False) + "\n", encoding="utf-8")
    bad_row, bad_csv = items(tmp_path, id_field="id", id_required=True)
    assert "no 'id' column" in bad_csv.reason and "--id-col" in bad_csv.reason
    assert "no 'id' field" in bad_row.reason


def test_csv_with_a_stray_byte_keeps_its_rows_and_warns(tmp_path):
    rows = "".join(f'"{ARTICLE} {i}",k{i}\n' for i in range(3)).encode("utf-8")
    cut = rows.index(b" 1") - 4
    (tmp_path / "t.csv").write_bytes(b"text,id\n" + rows[:cut] + b"\xff" + rows[cut:])
    got = items(tmp_path)
    assert [(i.doc_id, bool(i.warnings)) for i in got] == [("k0", False), ("k1", True), ("k2", False)]
    assert "\ufffd" in got[1].text and got[1].warnings[0].startswith("text holds U+FFFD")
