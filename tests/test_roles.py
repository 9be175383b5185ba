"""Role typing (extract/rules/roles.py) and persons from NER: states that act are actors,
countries used as locations stay places, team names are neither; real news phrasing."""

from __future__ import annotations

import pytest

from extract import Pipeline


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline.default(ner=None)


@pytest.mark.parametrize("text, actors, places", [
    ("أعلنت تركيا إغلاق معبر باب الهوى أمام الشاحنات", [("تركيا", "state", "turkey")], []),
    ("تركيا تعلن إغلاق حدودها مع سوريا", [("تركيا", "state", "turkey")], [("سوريا", "syria")]),
    ("طالبت أنقرة بوقف القصف على إدلب", [("أنقرة", "state", "turkey")], [("إدلب", "idlib")]),
    ("وصلت القافلة إلى تركيا أمس عبر معبر باب الهوى", [], [("تركيا", "turkey")]),
    ("وصل الوفد إلى الرياض لحضور الاجتماع", [], [("الرياض", "riyadh")]),
    ("تعادل المنتخب السعودي مع منتخب الإمارات في الرياض", [], [("الرياض", "riyadh")]),
])
def test_states_act_and_countries_locate(rules, text, actors, places):
    doc = rules(text)
    assert [(a.text, a.actor_type, a.canonical) for a in doc.actors] == actors
    assert [(p.text, p.canonical) for p in doc.places] == places
    for mention in doc.actors + doc.places:
        assert text[mention.start:mention.end] == mention.text


def test_a_state_as_agent_is_traceable(rules):
    [state] = rules("ورحبت مصر بالاتفاق").actors
    assert (state.text, state.extractor, state.canonical) == ("مصر", "gazetteer:actors:state_as_agent", "egypt")


def test_a_named_person_is_an_actor(nlp):
    doc = nlp("وقال وزير الخارجية الأردني أيمن الصفدي إن بلاده سترسل مساعدات إلى إدلب")
    persons = [(a.text, a.actor_type, a.canonical) for a in doc.actors if a.actor_type == "person"]
    assert persons == [("أيمن الصفدي", "person", None)]  # no lexicon lists him


def test_one_unknown_name_groups_across_articles_by_its_key(nlp):
    first = nlp("وقال وزير الخارجية الأردني أيمن الصفدي إن بلاده سترسل مساعدات إلى إدلب")
    second = nlp("وأكد ايمن الصفدي في عمان أن المعبر سيفتح")
    keys = {a.key for doc in (first, second) for a in doc.actors if a.actor_type == "person"}
    assert keys == {"name:ايمن_الصفدي"}
    assert [(p.text, p.key) for p in first.places] == [("إدلب", "idlib")]


@pytest.mark.parametrize("text, state, canonical", [
    # any feminine past verb before a state makes it the subject
    ("وامتنعت روسيا عن التصويت على القرار في مجلس الأمن", "روسيا", "russia"),
    # a verb whose first letter is a hamza on alif (not the article)
    ("وبعد الهجوم على مدينة مومباي عام 2008 ألقت الهند باللوم على متشددين", "الهند", "india"),
    # across a preposition with a pronoun
    ("بموجب الاتفاق الذي توصلت إليه واشنطن مع الأكراد", "واشنطن", "united_states"),
    # the subject of a clause after أن, and a capital of the world lexicon
    ("وأكد الوزير أن موسكو ستواصل التنسيق في إطار صيغة أستانا", "موسكو", "russia"),
    # a clause opened by a particle, with a present verb after the name
    ("بينما طهران تسعى إلى تأمين طريق بري نحو المتوسط", "طهران", "iran"),
    # the partner of a joint action
    ("افتتح المعبر بالتنسيق مع بغداد بعد أشهر من الإغلاق", "بغداد", "iraq"),
])
def test_states_that_act_in_many_positions(rules, text, state, canonical):
    doc = rules(text)
    [actor] = [a for a in doc.actors if a.actor_type == "state"]
    assert (actor.text, actor.canonical, text[actor.start:actor.end]) == (state, canonical, state)
    assert state not in [p.text for p in doc.places]


def test_a_state_coordinated_with_an_acting_state_acts_too(rules):
    text = "امتنعت روسيا والصين عن التصويت"
    doc = rules(text)
    assert [(a.text, a.start, a.canonical) for a in doc.actors] == [("روسيا", 7, "russia"), ("الصين", 14, "china")]


@pytest.mark.parametrize("text, places", [
    ("زارت الوزيرة موسكو ثم زارت أنقرة الأسبوع الماضي", ["موسكو", "أنقرة"]),  # the object of a visit
    ("وصلت قافلة إلى طهران", ["طهران"]),
    ("يعيش اللاجئون في تركيا منذ سنوات", ["تركيا"]),
    ("التقى الزعيمان لمدة ساعة أثناء زيارتهما روسيا", ["روسيا"]),  # a visit with a pronoun
    ("بعد سلسلة من الهجمات الدامية التي شهدتها تركيا", ["تركيا"]),  # a place witnesses
    ("وانطلقت المباراة في التاسعة مساء بتوقيت السعودية", ["السعودية"]),  # a verbal noun, no verb
])
def test_destinations_and_locations_stay_places(rules, text, places):
    doc = rules(text)
    assert [p.text for p in doc.places] == places
    assert not [a for a in doc.actors if a.actor_type == "state"]


def test_a_side_with_a_nationality_names_the_state_unless_it_is_a_border_side(rules):
    text = "وحضر القمة الجانب التركي، فيما انتظرت الشاحنات على الجانب الأردني"
    doc = rules(text)
    assert [(a.text, a.start, a.end, a.canonical) for a in doc.actors] == [("الجانب التركي", 11, 24, "turkey")]


def test_world_capitals_have_ids_from_geonames(rules):
    doc = rules("عقد الاجتماع في لندن بحضور وفود من باريس وبرلين")
    assert [(p.text, p.canonical, p.country) for p in doc.places] == [
        ("لندن", "london", "GB"), ("باريس", "paris", "FR"), ("برلين", "berlin", "DE")]


@pytest.mark.parametrize("text, state", [
    ("وفي المقابل تراقب الرياض التجربة الأردنية عن كثب", "الرياض"),          # a feminine present verb
    ("أما أنقرة، فتراقب ما يجري في الجنوب بقلق", "أنقرة"),                   # the topic after أما
    ("وجرى الاتفاق برعاية موسكو بعد أيام من المفاوضات", "موسكو"),             # the doer of an agent noun
    ("بين ضغطين: واشنطن التي تطالب بكبح الفصائل وطهران", "واشنطن"),          # before a relative clause
    ("وبدأت مفاوضات بين بغداد وأربيل حول إدارة المعبر", "بغداد"),            # a partner after بين
    ("وعبر الوزير عن الأمل بأن تتخلى إيران عن سياسات التدخل", "إيران"),      # تتفعّل of a weak root, in ى
])
def test_more_positions_of_an_acting_state(rules, text, state):
    doc = rules(text)
    assert state in [a.text for a in doc.actors if a.actor_type == "state"]
    assert state not in [p.text for p in doc.places]


@pytest.mark.parametrize("text, place", [
    ("ويطالب الأكراد بعدم تقسيم سوريا إلى كيانات", "سوريا"),   # a verbal noun تفعيل is no verb
    ("وتوجهت الشاحنات تجاه تركيا فجر اليوم", "تركيا"),         # a preposition shaped like تفعل
])
def test_verb_shaped_nouns_leave_the_country_a_place(rules, text, place):
    doc = rules(text)
    assert place in [p.text for p in doc.places]
    assert not [a for a in doc.actors if a.actor_type == "state"]


def test_talks_cities_and_renamed_capitals_are_places(rules):
    text = "وانطلقت جولة جديدة من مسار أستانا بعد لقاء سوتشي ومحادثات جنيف"
    doc = rules(text)
    assert [(p.text, p.canonical, text[p.start:p.end]) for p in doc.places] == [
        ("أستانا", "astana", "أستانا"), ("سوتشي", "sochi", "سوتشي"), ("جنيف", "geneva", "جنيف")]


def test_a_city_after_a_club_word_names_the_club(rules):
    assert rules("وفاز ريال مدريد على ضيفه بثلاثة أهداف").places == []
    assert [p.canonical for p in rules("ووصل الوفد إلى مدريد مساء أمس").places] == ["madrid"]


def test_ner_places_with_tanween_or_as_adjectives_are_dropped(nlp):
    doc = nlp("وقتل جندياً تركياً في الهجوم، بحسب مصادر سورية")
    assert [p.text for p in doc.places] == []


@pytest.mark.parametrize("text, state", [
    ("ويضم المجلس قادة من التيارات المدعومة من الرياض", "الرياض"),       # the doer of a passive
    ("بعد التسوية التي رعتها روسيا في درعا البلد", "روسيا"),               # a past verb with an object pronoun
])
def test_doers_of_passives_and_verbs_with_pronouns(rules, text, state):
    assert state in [a.text for a in rules(text).actors if a.actor_type == "state"]


def test_a_host_city_is_where_the_meeting_is(rules):
    doc = rules("ولم تفض المحادثات التي استضافتها فيينا إلى نتيجة")
    assert [p.text for p in doc.places] == ["فيينا"] and doc.actors == []


def test_a_definite_noun_is_no_verb_before_a_state(rules):
    doc = rules("وتعاقبت التوسعات السعودية على المسجد")
    assert not [a for a in doc.actors if a.actor_type == "state"]


@pytest.mark.parametrize("text, state", [
    ("رغم غارات جوية يومية تقودها الولايات المتحدة لدعم القوات العراقية", "الولايات المتحدة"),
    ("في إطار الحملة التي تخوضها تركيا ضد التنظيم", "تركيا"),
])
def test_a_verb_with_an_object_pronoun_before_a_state(rules, text, state):
    doc = rules(text)
    assert [(a.text, text[a.start:a.end]) for a in doc.actors if a.actor_type == "state"] == [(state, state)]
    assert state not in [p.text for p in doc.places]


def test_countries_listed_after_plural_national_teams_are_teams_in_sports_text(nlp):
    """منتخبات is only the national teams (its singular منتخب is also "elected"): in a sports
    article the countries it lists are teams, neither places nor states."""
    text = ("وتأهلت المنتخبات إلى الدور الثاني من تصفيات كأس العالم. وتلعب المنتخبات المباريات على ملعب "
            "واحد. وقال مدرب الفريق إن اللاعبين جاهزون للمباراة.\nوالمنتخبات هي: كولومبيا – تشيلي – باراغواي – البرازيل.")
    doc = nlp(text)
    assert not [p for p in doc.places if p.canonical in ("colombia", "chile", "paraguay", "brazil")]


def test_a_sports_report_in_one_long_sentence_is_sports_text(nlp):
    """Eight sports words make an article sports text however few its sentences: the countries
    its teams play are teams; the country where the team camps stays a place."""
    text = ("وأسفرت قرعة البطولة العربية لكرة القدم عن وقوع المنتخب السعودي في المجموعة الثانية التي تضم "
            "منتخبات تونس والكويت وقطر، وسيخوض الأخضر أولى مبارياته أمام المنتخب القطري ثم الكويت ثم تونس، "
            "ويقيم المنتخب معسكره في مصر بمشاركة 25 لاعبا ويختار المدرب اللاعبين للمباريات على الملعب "
            "الرئيسي قبل المباراة الأولى")
    doc = nlp(text)
    assert [(p.text, p.start) for p in doc.places] == [("مصر", text.index("مصر"))]


@pytest.mark.parametrize("text, state", [
    ("وشن التحالف الذي تقوده السعودية غارات على مواقع الحوثيين", "السعودية"),
    ("وأكدت الوزارة أن مملكة البحرين لن تتوانى عن حماية أمنها", "البحرين"),
    ("إيران: لن نسمح بتفتيش المواقع العسكرية", "إيران"),
    ("أمريكا: سنرسل قوات إضافية إلى العراق", "أمريكا"),
])
def test_a_state_acting_after_a_relative_a_title_or_as_a_headline_speaker(nlp, text, state):
    doc = nlp(text)
    assert (state, text.index(state)) in [(a.text, a.start) for a in doc.actors if a.actor_type == "state"]
    assert state not in [p.text for p in doc.places]


@pytest.mark.parametrize("text, place", [
    ("يشارك الفريق في المخيم الكشفي الذي تستضيفه اليابان الشهر المقبل", "اليابان"),
    ("وتفاقمت الأزمة المالية التي يعيشها العراق بسبب انخفاض أسعار النفط", "العراق"),
    ("سوريا: مقتل 20 شخصا في غارة جوية", "سوريا"),
    ("واس - الرياض: نفذت قوات التحالف ضربات جوية", "الرياض"),
    ("ووصل الوفد إلى مملكة البحرين أمس", "البحرين"),
])
def test_a_host_a_sufferer_a_headline_place_or_a_destination_stays_a_place(nlp, text, place):
    doc = nlp(text)
    assert (place, text.index(place)) in [(p.text, p.start) for p in doc.places]
