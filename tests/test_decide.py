"""Decision stage: calibrated confidence on convoy and crossing candidates, the threshold, and
the specific flag (extract/decide.py), on real Arabic phrasing."""

from __future__ import annotations

import pytest

from extract import Pipeline
from extract.decide import Evidence, cluster_of, cue_classes, load_model
from extract.normalize import fold


@pytest.fixture(scope="module")
def everything() -> Pipeline:
    """The default pipeline keeping every candidate (threshold 0)."""
    return Pipeline.default(min_confidence=0.0)


def test_a_convoy_report_passes_with_high_confidence(nlp):
    doc = nlp("ورصد المرصد السوري دخول قافلة تضم أكثر من 100 شاحنة عبر معبر الوليد قادمة من إقليم كردستان العراق")
    [convoy] = doc.convoys
    assert (convoy.text, convoy.size_min, convoy.specific) == ("قافلة تضم أكثر من 100 شاحنة", 101, True)
    assert convoy.confidence > 0.9
    assert [c.text for c in doc.crossings] == ["معبر الوليد"]


def test_a_ship_convoy_through_a_canal_is_proposed_but_dropped(nlp, everything):
    text = "وقال رئيس هيئة القناة إن قافلة تضم ثلاث سفن حاويات عبرت قناة السويس الجديدة"
    [candidate] = everything(text).convoys
    assert candidate.text == "قافلة"
    assert candidate.confidence < load_model()["convoy"]["threshold"]
    assert nlp(text).convoys == []


def test_a_usb_port_is_no_crossing(nlp, everything):
    text = "وتتصل الذاكرة الجديدة بالكمبيوتر عبر منفذ \"يو إس بي\" ويمكن تخزين الملفات فيها"
    assert [c.text for c in everything(text).crossings] == ['منفذ "يو إس بي"']
    assert nlp(text).crossings == []


def test_a_regional_crossing_and_a_generic_one(nlp):
    doc = nlp("وصلت قافلة إغاثية سعودية إلى اليمن عبر منفذ الوديعة البري، فيما أغلقت السلطات المنافذ الحدودية الأخرى")
    assert [(c.text, c.canonical, c.named) for c in doc.crossings] == [
        ("منفذ الوديعة", "al_wadiah_crossing", True), ("المنافذ الحدودية", None, False)]


def test_a_habitual_convoy_is_not_specific(everything):
    [convoy] = everything("ويسيّر المركز قوافل إغاثية بشكل دوري إلى المحافظات اليمنية").convoys
    assert (convoy.text, convoy.counts, convoy.specific) == ("قوافل إغاثية", "convoys", False)


def test_min_confidence_one_drops_every_candidate():
    nlp = Pipeline.default(min_confidence=1.0)
    doc = nlp("دخلت قافلة تضم 30 شاحنة عبر معبر باب الهوى")
    assert doc.convoys == [] and doc.crossings == [] and doc.events == []


def test_confidence_is_a_probability_and_deterministic(everything):
    text = "استقدمت القوات التركية أرتالاً عسكرية إلى إدلب عبر معبر كفرلوسين، وعبرت 18 شاحنة من المعبر ذاته"
    first = [(m.text, m.confidence) for m in everything(text).convoys + everything(text).crossings]
    second = [(m.text, m.confidence) for m in everything(text).convoys + everything(text).crossings]
    assert first == second
    assert all(0.0 <= c <= 1.0 for _, c in first)


def test_cue_classes_match_whole_words_after_clitics():
    assert cue_classes(fold("وبالسفن وقناة السويس")) == {"sea": 2}
    assert cue_classes(fold("سفنكس")) == {}


def test_a_verb_row_lists_its_third_person_forms_and_the_matcher_cues_are_read():
    # "خرجت" comes from convoy_words.tsv (movement), "تزحف" from the row زحف/يزحف, "مزودة" is escort
    assert cue_classes(fold("خرجت الدبابات وهي تزحف مزودة بالمدافع")) == {"movement": 2, "escort": 1}


def test_the_word_next_to_a_convoy_is_read_apart():
    text = "خرجت مئات الدبابات من عدن أمس"
    doc = Pipeline.default(min_confidence=0.0)(text)
    tanks = next(m for m in doc.convoys if m.text == "مئات الدبابات")
    near = Evidence(doc).near(tanks)
    assert "adj:movement" in near and "b:movement" in near


def test_every_model_feature_is_one_the_evidence_can_produce():
    prefixes = ("rule=", "vehicle=", "word=", "counts=", "size=", "kind=", "cargo=", "type=", "head=",
                "s:", "a:", "b:", "i:", "f:", "adj:", "cb:", "cf:")
    names = {"definite", "title", "doc:armed_actor", "doc:crossing", "named", "generic", "known", "unknown",
             "trigger_before"}
    model = load_model()
    for kind in ("convoy", "crossing"):
        for feature in model[kind]["weights"]:
            assert feature in names or feature.startswith(prefixes), feature
        assert 0.0 < model[kind]["threshold"] < 1.0


def test_evidence_reads_the_sentence_and_the_article(nlp):
    doc = Pipeline.default(min_confidence=0.0)(
        "قصفت الطائرات مواقع المسلحين.\nوعبرت 18 شاحنة محملة بالمساعدات من المعبر الحدودي أمس.")
    features = Evidence(doc).convoy(doc.convoys[0])
    assert {"s:aid", "s:border", "s:movement", "rule=vehicles_on_the_move", "cargo=aid"} <= set(features)


def test_word_clusters_of_three_words_each_side_are_evidence(everything):
    doc = everything("واستقدمت القوات التركية رتلا عسكريا جديدا إلى ريف إدلب الجنوبي")
    [convoy] = doc.convoys
    assert (convoy.text, convoy.start, convoy.end) == ("رتلا عسكريا", 24, 35)
    # the shipped NER model's word2vec clusters: واستقدمت (as استقدمت) 92, القوات 115, التركية 45;
    # جديدا 167, إلى 74, ريف 101
    assert [cluster_of(fold(w)) for w in ("واستقدمت", "جديدا", "ريف")] == ["92", "167", "101"]
    assert Evidence(doc).clusters(convoy) == ["cb:115", "cb:45", "cb:92", "cf:101", "cf:167", "cf:74"]
    assert {"cb:92", "cf:74"} <= set(Evidence(doc).convoy(convoy))


def test_word_clusters_stop_at_the_sentence(everything):
    doc = everything("قصفت الطائرات مواقع المسلحين.\nعبرت 18 شاحنة")
    [convoy] = doc.convoys
    assert convoy.text == "18 شاحنة"
    assert [f for f in Evidence(doc).clusters(convoy) if f.startswith("cf:")] == []
    assert len([f for f in Evidence(doc).clusters(convoy) if f.startswith("cb:")]) == 1  # عبرت only


def test_a_bare_plural_crossing_word_is_a_candidate_the_model_weighs(everything):
    doc = everything("وأغلقت الكويت منافذها أمام الشاحنات القادمة من العراق")
    [crossing] = doc.crossings
    assert (crossing.text, crossing.start, crossing.end, crossing.named, crossing.canonical) == \
        ("منافذها", 14, 21, False, None)
    assert crossing.extractor == "gazetteer:crossings:bare"


def test_air_and_sea_ports_are_no_crossing_candidates(everything):
    text = "وتعطى اللقاحات للقادمين عبر المنافذ الجوية والبحرية، فيما تستمر الحركة في المنافذ البرية والجوية."
    crossings = [(c.text, c.start) for c in everything(text).crossings]
    assert crossings == [("المنافذ البرية", text.index("المنافذ البرية"))]  # a generic phrase


@pytest.mark.parametrize("text", [
    "أوقفت دوريات حرس الحدود بقطاع حالة عمار بمنطقة تبوك يوم أمس شخصا من جنسية عربية.",  # a guard sector
    "اليمن كانت بوابة إيران للمملكة.. والعاصفة خيّبت الحلم.",  # a country's gate is a figure of speech
    "وفي تكريم الشعراء حضر الشاعر المميز معبّر النهاري وشعراء آخرون.",  # معبّر with a shadda is a name
])
def test_sector_names_gates_of_countries_and_a_shadda_make_no_crossing_candidate(everything, text):
    assert everything(text).crossings == []


def test_the_crossing_after_a_crossing_word_stays(everything):
    text = "وصلت الشاحنات إلى منفذ حالة عمار قادمة من الأردن."
    assert [(c.text, c.canonical is not None) for c in everything(text).crossings] == [("منفذ حالة عمار", True)]


@pytest.mark.parametrize("text", [
    "وتقدر نقابة أصحاب الشاحنات أن نحو 7 آلاف شاحنة كانت تعبر مركز جابر الحدودي أسبوعياً قبل الإغلاق.",
    "وأكد مدير الجمارك أن المركز يستقبل يومياً نحو 150 شاحنة ترانزيت.",
    "في ظل ارتفاع حركة العبور عبر معبر المصنع إلى نحو 400 شاحنة يومياً.",
])
def test_a_rate_of_vehicles_is_a_statistic_not_even_a_candidate(everything, text):
    """A rate word in the count's clause, after it or just before it (the definition in
    docs/convoys.md: vehicles counted in statistics are no convoy)."""
    assert not [c.text for c in everything(text).convoys if "شاحنة" in c.text]


def test_the_first_day_is_no_rate(nlp):
    text = "ورصد المرصد السوري عبور سبع شاحنات عراقية محملة بمواد بناء في اليوم الأول، متجهة إلى مدينة البوكمال"
    assert [(c.text, c.size_min) for c in nlp(text).convoys] == [("سبع شاحنات", 7)]


@pytest.mark.parametrize("text", [
    "وتقدر نقابة أصحاب الشاحنات الأردنية أن الخسائر كبيرة",
    "وأعلنت الإدارة فتح معبر سيمالكا أمام حركة الشاحنات التجارية والمنظمات الإنسانية",
    "فيما بقي معبر باب الهوى مفتوحاً أمام الشاحنات التجارية والإنسانية",
])
def test_plural_vehicles_named_as_a_category_are_no_candidate(everything, text):
    assert everything(text).convoys == []
    assert [c.text for c in everything("ودخلت الشاحنات المحملة بالمساعدات عبر المعبر").convoys] == ["الشاحنات"]
