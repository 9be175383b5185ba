"""Organisations no lexicon lists, from a head noun and its genitive/adjective chain
(extract/rules/organisations.py); real news phrasing, exact spans and offsets."""

from __future__ import annotations

import pytest

from extract import Pipeline
from extract.lexicons import read_tsv


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline.default(ner=None)


@pytest.mark.parametrize("text, name, start, actor_type, canonical", [
    ("وأعلنت وزارة الزراعة اللبنانية وقف تصدير الخضار", "وزارة الزراعة اللبنانية", 7, "government",
     "lebanon/وزاره_زراعه"),   # a state body named with its country: a generated id
    ("وقالت مديرية الجمارك العامة في بيان إن الشاحنات عبرت", "مديرية الجمارك العامة", 6, "government", None),
    ("أكدت المديرية العامة للجمارك أن حركة العبور طبيعية", "المديرية العامة للجمارك", 5, "government", None),
    ("وأعلنت المديرية العامة لإدارة الهجرة التركية أن", "المديرية العامة لإدارة الهجرة التركية", 7, "government",
     "turkey/مديريه_عامه_لاداره_هجره"),
    ("وقالت وزارة الخارجية والمغتربين السورية الثلاثاء إن", "وزارة الخارجية والمغتربين السورية", 6, "government",
     "syria/وزاره_خارجيه_والمغتربين"),
    ("وذكرت شرطة محافظة دهوك أن القافلة وصلت", "شرطة محافظة دهوك", 6, "security", None),
    ("وانسحبت الكتيبة 47 من المدينة", "الكتيبة 47", 8, "military", None),
    ("وحمّلت حكومة تصريف الأعمال اللبنانية المسؤولية", "حكومة تصريف الأعمال اللبنانية", 7, "government",
     "lebanon/حكومه_تصريف_اعمال"),
])
def test_a_head_noun_and_its_chain_name_an_organisation(rules, text, name, start, actor_type, canonical):
    doc = rules(text)
    [org] = [a for a in doc.actors if a.extractor == "rules:organisations"]
    assert (org.text, org.start, org.end, org.actor_type, org.canonical) == (name, start, start + len(name), actor_type, canonical)
    assert text[org.start:org.end] == org.text
    assert org.key == canonical or org.key.startswith("name:")


def test_the_longest_name_wins_over_a_place_inside_it(rules):
    doc = rules("وذكرت شرطة محافظة دهوك أن القافلة وصلت")
    assert doc.places == []


@pytest.mark.parametrize("text", [
    "وقال اللواء محمد إن القافلة وصلت",     # a rank, not a unit: no number
    "الوزارة أعلنت الخطة أمس",               # a head alone names nothing; a verb is no genitive
    "وتوقفت حركة الشاحنات على الطريق",       # traffic, not a movement (not_head)
])
def test_no_organisation_without_a_name(rules, text):
    assert [a.text for a in rules(text).actors if a.extractor == "rules:organisations"] == []


def test_a_verb_after_the_name_is_not_part_of_it(rules):
    doc = rules("أدان مجلس الأمن الدولي الهجوم على القافلة")
    assert [a.text for a in doc.actors] == ["مجلس الأمن الدولي"]


def test_heads_come_from_the_corpora_with_their_source():
    rows = {r["head"]: r for r in read_tsv("org_heads.tsv")}
    assert rows["وزاره"]["type"] == "government" and "WikiFANE" in rows["وزاره"]["source"]
    assert "حركه" not in rows and "نادي" not in rows  # curated out: traffic, sports clubs


@pytest.mark.parametrize("text", [
    "وتقدمت القوات بقيادة الملك نحو المدينة",   # بقيادة: led by
    "وانقطع التيار الكهربائي عن المدينة",        # تيار: a current (not_head)
])
def test_led_by_and_currents_are_no_organisations(rules, text):
    assert [a.text for a in rules(text).actors if a.extractor == "rules:organisations"] == []


def test_a_coordinated_adjective_stays_in_the_name_but_a_second_nationality_does_not():
    nlp = Pipeline.default()
    text = "وقالت وزارة الشؤون البلدية والقروية إن الحكومة السورية والإيرانية وقعتا الاتفاق"
    assert [(a.text, a.canonical) for a in nlp(text).actors] == [
        ("وزارة الشؤون البلدية والقروية", None), ("الحكومة السورية", "syrian_government")]


def test_a_coordinated_noun_after_the_field_stays_but_a_second_body_does_not():
    nlp = Pipeline.default()
    text = "بالتعاون مع الهيئة العامة للسياحة والتراث الوطني، ووقعت الهيئة العامة للسياحة والهيئة العامة للطيران المدني اتفاقا"
    assert [a.text for a in nlp(text).actors] == ["الهيئة العامة للسياحة والتراث الوطني", "الهيئة العامة للسياحة",
                                                  "الهيئة العامة للطيران المدني"]


@pytest.mark.parametrize("text, name", [
    ("وكانت الشركة الأمريكية قد توقعت تسريح ما بين 6.5 و8 في المائة من موظفيها", None),
    ("يسعى المصرف الأمريكي جولدمان ساكس للحصول على ترخيص مستثمر مؤهل", None),
    ("وأعلنت الشركة السعودية للكهرباء عن خطة لرفع الطاقة", "الشركة السعودية للكهرباء"),
    ("وقال البنك المركزي اليمني إن الريال تراجع", "البنك المركزي اليمني"),
])
def test_a_company_word_and_a_nationality_alone_describe_a_company_named_elsewhere(rules, text, name):
    found = [a.text for a in rules(text).actors if a.extractor == "rules:organisations"]
    assert found == ([name] if name else [])


@pytest.mark.parametrize("text, name", [
    ("وأعرب رئيس الهيئة الملكية للجبيل وينبع عن شكره", "الهيئة الملكية للجبيل وينبع"),  # a listed name after و
    ("وشكر دعمه لمؤسسة الملك عبدالله بن عبدالعزيز العالمية للأعمال الإنسانية",
     "مؤسسة الملك عبدالله بن عبدالعزيز العالمية للأعمال الإنسانية"),  # a title and its person
    ("استقبل الوزير رئيس وأعضاء هيئة المهندسين السعوديين", "هيئة المهندسين السعوديين"),  # a plural nisba
    ("وأكدت سفارة خادم الحرمين الشريفين لدى الأردن أنه لا صحة لذلك", "سفارة خادم الحرمين الشريفين"),
])
def test_a_name_goes_on_over_coordinated_names_persons_and_plural_adjectives(rules, text, name):
    found = [(a.text, a.start) for a in rules(text).actors if a.extractor == "rules:organisations"]
    assert found == [(name, text.index(name))]


def test_a_coordinated_plural_nisba_is_another_party(rules):
    text = "وحدث تبادل إطلاق النار بين وحدات القيادة الأوكرانية والانفصاليين في دونباس"
    assert [a.text for a in rules(text).actors if a.extractor == "rules:organisations"] == ["القيادة الأوكرانية"]


@pytest.mark.parametrize("text, name", [
    ("وحلت بالمرتبة الخامسة عشرة الهيئة السعودية للمواصفات والمقاييس والجودة. وقال", "الهيئة السعودية للمواصفات والمقاييس والجودة"),
    ("وأشار المدير العام في وزارة الشؤون الإسلامية والأوقاف والدعوة والإرشاد إلى أن", "وزارة الشؤون الإسلامية والأوقاف والدعوة والإرشاد"),
])
def test_a_name_takes_every_coordinated_noun_that_heads_no_body(rules, text, name):
    assert [(a.text, text[a.start:a.end]) for a in rules(text).actors] == [(name, name)]


def test_a_coordinated_head_opens_another_body(rules):
    text = "واجتمعت وزارة الداخلية والهيئة العامة للسياحة أمس"
    assert [a.text for a in rules(text).actors] == ["وزارة الداخلية", "الهيئة العامة للسياحة"]


@pytest.mark.parametrize("text", [
    "واختير ضمن لجنة تحكيم المهرجان عام 2012",
    "وقرر مجلس إدارة الهيئة تعيين مدير جديد للفرع",
])
def test_a_part_of_a_body_named_elsewhere_is_no_name(rules, text):
    assert rules(text).actors == []


@pytest.mark.parametrize("text, name", [
    ("وقال رئيس هيئة أركان الجيش إن القوات جاهزة", "هيئة أركان الجيش"),
    ("وأضافت الهيئة أن مكتب تحقيقات الطيران عين ممثلاً معتمداً", "مكتب تحقيقات الطيران"),
])
def test_a_force_or_a_field_closing_a_name_is_part_of_it(rules, text, name):
    assert name in [a.text for a in rules(text).actors]
