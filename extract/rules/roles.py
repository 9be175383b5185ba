"""Role typing: a country or capital that acts is a state actor, one that locates stays a place.

``أعلنت تركيا إغلاق حدودها``: Turkey decides, so the mention moves from ``places`` to
``actors`` (``actor_type="state"``, the country's id as ``canonical``, as the place had);
``طالبت أنقرة`` is the Turkish state too (``capitals.tsv``); ``وصلت القافلة إلى تركيا`` keeps
Turkey a place. A country or capital is the agent when it is

* the subject after a verb: a listed verb of action or speech (``agent_verbs.txt``), or any
  feminine past or present verb, the forms a verb takes before a state (``امتنعت روسيا``,
  ``تراقب الرياض``, also across a preposition with a pronoun: ``توصلت إليه واشنطن``), unless
  the verb takes the place as its object (``زارت موسكو``: ``agent_cues.tsv``, role ``place_verb``);
* the subject before a verb, a future or negation opening its predicate, when it opens a
  clause (``أن تركيا تنفذ``, ``إن موسكو ستواصل``) or stands after أن/إن/أما, or before a
  relative clause (``واشنطن التي تطالب``);
* the partner of a joint action (``بالتنسيق مع بغداد``، ``مفاوضات بين بغداد وأربيل``), the
  doer of an agent noun (``برعاية موسكو``، ``انسحاب واشنطن``) or of a passive (``المدعومة من طهران``);
* coordinated with a state actor (``امتنعت روسيا والصين``).

``الجانب التركي`` (a side word and a nationality adjective) names the Turkish state. A name
right after a club or team word (``team_words.txt``: ``منتخب الإمارات``) is neither a place nor
an actor.

>>> from extract import Pipeline
>>> doc = Pipeline.default(ner=None)("أعلنت تركيا إغلاق معبر باب الهوى، ووصلت القافلة إلى تركيا أمس")
>>> [(a.text, a.actor_type, a.canonical) for a in doc.actors], [p.text for p in doc.places]
([('تركيا', 'state', 'turkey')], ['تركيا'])
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import cache, lru_cache

import regex

from ..doc import ActorMention, Document, PlaceMention, Span, Token
from ..lexicons import read_lines, read_tsv
from ..normalize import fold
from ..tokenize import lookup_forms
from .organisations import head_noun, nationalities
from .wordstarts import WordStartPattern, whole_words

_STATE_TYPES = frozenset({"country"})
# a feminine past verb: a stem of two letters or more + ت (not the plural ات, not وت), maybe
# with an object pronoun (صاغته، رعتها)
_FEMININE_PAST = regex.compile(r"^\p{Arabic}+[^\Wاو]ت(?:ه|ها|هم|هما)?$")
# a present or future verb: ي/ت (after س) + three letters or more
_PRESENT = regex.compile(r"^س?[يت]\p{Arabic}{3,}$")
# a feminine present verb before its subject (تراقب الرياض، تتجنب موسكو، ستواصل تركيا): ت + two
# to five letters, not ending like a noun (ه، ا، ي: تحدي) nor shaped like the verbal noun تفعيل
# (تقسيم); or تت + a stem in ى, the verbs تتفعّل of a weak root (تتخلى إيران، تتولى)
_FEMININE_PRESENT = regex.compile(r"^س?(?:ت(?!\p{Arabic}{2}ي\p{Arabic}$)\p{Arabic}{2,5}(?<![هاي]|ات)|تت\p{Arabic}{2,4}ي)$")
# the verbal noun تفعيل (توقيت، تصويت), shaped like a feminine past verb
_VERBAL_NOUN = regex.compile(r"^ت\p{Arabic}{2}ي\p{Arabic}$")
_PRONOUNS = ("هما", "هم", "ها", "ه")
# a preposition with a pronoun between a verb and its subject (توصلت إليه واشنطن)
_PREPOSITION_PRONOUN = regex.compile(r"^(?:في|الي|علي|من|عن|ل|ب|خلال|مع|بين|عبر)(?:ه|ها|هم|هما)$")
_SIDES = frozenset({"الجانب", "الطرف"})
_ACTING_KINDS = ("complementizer", "clause_start", "negation", "partner", "agent_noun", "passive", "place_verb",
                 "scene_verb", "state_title", "not_verb", "locative")
_RELATIVES = frozenset({"التي", "الذي"})
_WE = regex.compile(r"^[وف]?سن\p{Arabic}{2,}$")  # سنرد، سنرسل: a future of the first person plural


@cache
def agent_verbs() -> frozenset[str]:
    return frozenset(map(fold, read_lines("agent_verbs.txt")))


@cache
def team_words() -> frozenset[str]:
    return frozenset(map(fold, read_lines("team_words.txt")))


@cache
def agent_cues() -> dict[str, frozenset[str]]:
    """Role → the folded words of ``agent_cues.tsv`` with that role."""
    rows = read_tsv("agent_cues.tsv")
    return {role: frozenset(fold(r["word"]) for r in rows if r["role"] == role) for role in _ACTING_KINDS}


@cache
def capitals() -> dict[str, str]:
    """Capital place id → the id of the state it stands for."""
    return {row["place"]: row["state"] or row["place"] for row in read_tsv("capitals.tsv")}


@cache
def _sports_pattern() -> WordStartPattern:
    """A word of ``sports_words.txt`` in normalized text, with its clitics and article."""
    return whole_words(map(fold, read_lines("sports_words.txt")))


def _forms(token: Token) -> set[str]:
    """A word's forms with و ف (and ب ك ل) peeled, also without the article."""
    forms = {stem for _, stem in lookup_forms(token.norm)}
    return forms | {f[2:] for f in forms if f.startswith("ال")}


class _Sentence:
    """The tokens around a mention, within its sentence."""

    def __init__(self, doc: Document, mention: Span):
        nstart, nend = doc.normalized.from_original(mention.start, mention.end)
        self.tokens = doc.tokens
        self.first = bisect_left(doc.tokens, nstart, key=lambda t: t.nstart)
        self.last = bisect_left(doc.tokens, nend, key=lambda t: t.nstart) - 1
        self.sentence = doc.tokens[self.first].sentence if self.first < len(doc.tokens) else -1
        self.clitic = doc.text[doc.tokens[self.first].start:mention.start] if self.first < len(doc.tokens) else ""
        if mention.text.startswith("لل"):
            self.clitic = "ل"

    def word(self, i: int) -> Token | None:
        """The token ``i`` if it is a word of the mention's sentence."""
        if 0 <= i < len(self.tokens) and self.tokens[i].sentence == self.sentence and self.tokens[i].norm.isalpha():
            return self.tokens[i]
        return None


def _verb_before(word: Token | None, shape: bool = True) -> bool:
    """A verb whose subject follows: listed, or (``shape``) a feminine past verb."""
    if word is None:
        return False
    forms = _forms(word)
    cues = agent_cues()
    if forms & agent_verbs():
        return True
    hamza = word.text.lstrip("وف").startswith(("أل", "إل"))  # ألقت: a verb, not the article
    verb_forms = [f for _, f in lookup_forms(word.norm) if (hamza or not f.startswith("ال")) and len(f) >= 3]
    if any(_VERBAL_NOUN.match(f) for f in verb_forms):
        return False  # بتوقيت، تصويت: the verbal noun تفعيل, no feminine past verb
    return shape and not _unsuffixed(forms) & (cues["place_verb"] | cues["not_verb"]) \
        and any(_FEMININE_PAST.match(f) or _FEMININE_PRESENT.match(f) or _object_verb(f) for f in verb_forms)


def _object_verb(form: str) -> bool:
    """A feminine present verb with an object pronoun before its subject (``تقودها الولايات
    المتحدة``); its stem ends in no ت (``تجربتها`` is a noun)."""
    for suffix in _PRONOUNS[:-1]:  # not ه alone, a verb's own last letter as often (تواجه)
        stem = form[:-len(suffix)]
        if form.endswith(suffix) and not stem.endswith("ت"):
            return bool(_FEMININE_PRESENT.match(stem))
    return False


def _unsuffixed(forms: set[str]) -> set[str]:
    """Forms with an object or possessive pronoun taken off too (``زيارتهما`` → ``زياره``,
    ``شهدتها`` → ``شهدت``)."""
    out = set(forms)
    for form in forms:
        for suffix in _PRONOUNS:
            if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                stem = form[:-len(suffix)]
                out |= {stem, stem[:-1] + "ه"} if stem.endswith("ت") else {stem}
    return out


def _resumptive_verb(word: Token) -> bool:
    """A present verb with an object pronoun (``تقوده``, ``يقودها``): after a relative pronoun
    the pronoun is the relative's, and the name after the verb its subject (unless the verb
    makes it a scene: ``الذي تستضيفه اليابان``, ``التي يعيشها العراق``)."""
    scenes = agent_cues()["scene_verb"]
    return any(f.endswith(p) and _PRESENT.match(f[:-len(p)]) and f[:-len(p)] not in scenes
               for _, f in lookup_forms(word.norm)[:2] for p in _PRONOUNS)


def _speaker_label(s: _Sentence) -> bool:
    """A name before a colon and a future or negated verb in the first person plural
    (``إيران: لن نسمح``, ``أمريكا: سنرسل``): the speaker of a headline quote, not its place
    (``سوريا: مقتل 20``, ``واس - الرياض: نفذت``)."""
    tokens, k = s.tokens, s.last + 1
    if k + 1 >= len(tokens) or tokens[k].norm != ":" or tokens[k].sentence != s.sentence:
        return False
    said = tokens[k + 1:k + 3]
    if len(said) == 2 and said[0].norm in agent_cues()["negation"] and said[1].norm.startswith("ن"):
        return said[1].sentence == s.sentence  # لن نسمح
    return bool(said) and said[0].sentence == s.sentence and bool(_WE.match(said[0].norm))


def _predicate_after(word: Token | None) -> bool:
    """A verb, a future or a negation opening the predicate of a subject before it."""
    if word is None:
        return False
    forms = {stem for _, stem in lookup_forms(word.norm)[:2]}  # و/ف peeled only
    return bool(forms & (agent_verbs() | agent_cues()["negation"])) or any(_PRESENT.match(f) for f in forms)


def _acts(s: _Sentence) -> bool:
    """Whether the mention is the subject of a verb or the partner of a joint action, or a
    headline's speaker (``أمريكا: سنرسل``)."""
    cues = agent_cues()
    before = s.word(s.first - 1)
    title = next((skip for skip, stem in lookup_forms(before.norm) if stem in cues["state_title"]), None) \
        if before is not None and not s.clitic else None
    if title is not None:
        s.first -= 1  # إن مملكة البحرين تدين: the title opens the name
        s.clitic = before.norm[:title]
        before = s.word(s.first - 1)
    if s.clitic.strip("وف"):
        return False  # بتركيا، لدمشق: after a preposition
    if _verb_before(before):
        return True
    if before is not None and _resumptive_verb(before) and (relative := s.word(s.first - 2)) is not None \
            and relative.norm in _RELATIVES:
        return True  # التحالف الذي تقوده السعودية
    if before is None and _speaker_label(s):
        return True
    if before is not None and _PREPOSITION_PRONOUN.match(before.norm) and _verb_before(s.word(s.first - 2)):
        return True
    before_forms = _forms(before) if before is not None else set()
    if before_forms & cues["complementizer"]:
        return True
    two_before = _forms(s.word(s.first - 2)) if s.word(s.first - 2) is not None else set()
    if before_forms & {"مع", "بين"} and two_before & cues["partner"]:
        return True
    if before_forms & {"من"} and two_before & cues["passive"]:
        return True  # المدعومة من طهران
    if before_forms & cues["agent_noun"]:
        return True
    after = s.word(s.last + 1)
    if after is not None and after.norm in _RELATIVES and _predicate_after(s.word(s.last + 2)):
        return True  # واشنطن التي تطالب
    opens_clause = before is None or s.clitic or before_forms & cues["clause_start"]
    return bool(opens_clause) and _predicate_after(after)


def _coordinated(doc: Document, earlier: Span, later: Span) -> bool:
    """Whether ``later`` follows ``earlier`` in a list (only و and commas between)."""
    between = doc.text[earlier.end:later.start]
    return not regex.sub(r"[\s،,]|و", "", between) and bool(between.strip() or later.text.startswith("و"))


def outside_team_names(doc: Document, mentions: list) -> list:
    """``mentions`` without the names right after a club or team word (``منتخب الإمارات``
    names the team)."""
    if not any(word in doc.norm_text for word in team_words()):
        return mentions
    out = []
    for m in mentions:
        around = _Sentence(doc, m)
        before = around.word(around.first - 1)
        if before is None or not _forms(before) & team_words():
            out.append(m)
    return out


def outside_sports_clubs(doc: Document, actors: list, places: list,
                         placed: Callable[[Span], bool]) -> tuple[list, list]:
    """``actors`` and ``places`` without the clubs and teams taken for organisations or places
    (``الأهلي``, ``برشلونة``, ``تشلسي``, ``مباراة السعودية والصين``) in sports text (a sentence
    with a word of ``sports_words.txt``, or an article with such words in three sentences or
    more, or eight such words): unlisted NER organisations not opened by a head noun (``وزارة``,
    ``شركة``), unlisted NER places, and, in a sports sentence of a sports article, listed countries and cities, that
    ``placed`` does not find after or under a word of place (``فاز على برشلونة`` is the club,
    ``في برشلونة``, ``بمدينة ميلانو`` are places)."""
    unlisted = [m for m in actors + places if not m.canonical and m.extractor.startswith("ner") and m.label in ("ORG", "LOC")]
    listed = [m for m in places if m.canonical and getattr(m, "place_type", None) in _TEAM_PLACES]
    if not unlisted and not listed:
        return actors, places
    starts = [s.nstart for s in doc.sentences]
    hits = [bisect_right(starts, m.start()) - 1 for m in _sports_pattern().finditer(doc.norm_text)]
    sporty = set(hits)
    if not sporty:
        return actors, places
    article = len(sporty) >= _SPORTS_SENTENCES or len(hits) >= _SPORTS_WORDS
    team = {id(m) for m in unlisted if (article or m.sentence in sporty) and (
        head_noun(fold(m.text.split()[0])) is None if m.label == "ORG" else not placed(m))}
    previous = None
    for m in sorted(listed, key=lambda m: m.start):  # في انجلترا وايطاليا: a list keeps its first's reading
        if article and m.sentence in sporty and not placed(m) and not (
                previous is not None and id(previous) not in team and _coordinated(doc, previous, m)):
            team.add(id(m))
        previous = m
    return [a for a in actors if id(a) not in team], [p for p in places if id(p) not in team]


_TEAM_PLACES = frozenset({"country", "region", "city"})  # national teams (England is a region) and clubs
_SPORTS_SENTENCES = 3  # sentences with sports words that make a whole article sports text
_SPORTS_WORDS = 8  # or sports words, however few its sentences (a report in one long sentence)


def _as_state(place: PlaceMention, state: str, extractor: str = "gazetteer:actors:state_as_agent") -> ActorMention:
    return ActorMention(text=place.text, start=place.start, end=place.end, sentence=place.sentence,
                        extractor=extractor, confidence=place.confidence,
                        canonical=state, actor_type="state", country=place.country)


def states_as_agents(doc: Document, places: list[PlaceMention]) -> tuple[list[PlaceMention], list[ActorMention]]:
    """``places`` without the countries and capitals that act, and those as state actors."""
    kept: list[PlaceMention] = []
    states: list[ActorMention] = []
    for place in places:
        state = place.canonical if place.place_type in _STATE_TYPES else capitals().get(place.canonical or "")
        if state and (_acts(_Sentence(doc, place))
                      or any(_coordinated(doc, s, place) for s in states[-1:])):
            states.append(_as_state(place, state))
        else:
            kept.append(place)
    return kept, states


@lru_cache(maxsize=100_000)
def _side(norm: str) -> tuple[int, str] | None:
    """``(peeled characters, الجانب|الطرف)`` when a word is a side word."""
    return next(((skip, stem) for skip, stem in lookup_forms(norm) if stem in _SIDES), None)


def state_sides(doc: Document, countries: dict[str, str]) -> list[ActorMention]:
    """``الجانب التركي``, ``للطرف الروسي``: a side word and a nationality adjective name that
    state (``countries``: ISO code → the country's id), unless a locative preposition makes it
    a side of a border (``على الجانب الأردني``)."""
    found: list[ActorMention] = []
    if not any(side[2:] in doc.norm_text for side in _SIDES):  # جانب، طرف: most articles have neither
        return found
    tokens = doc.tokens
    for i in [i for i, token in enumerate(tokens[:-1]) if _side(token.norm)]:
        token, side = tokens[i], _side(tokens[i].norm)
        iso = nationalities().get(tokens[i + 1].norm) if tokens[i + 1].sentence == token.sentence else None
        before = tokens[i - 1] if i and tokens[i - 1].sentence == token.sentence else None
        locative = token.norm[:side[0]].strip("وف") or before is not None and _forms(before) & agent_cues()["locative"]
        if iso and iso in countries and not locative:
            start, end = doc.original_span(token.nstart + side[0], tokens[i + 1].nend)
            found.append(ActorMention(text=doc.text[start:end], start=start, end=end, sentence=token.sentence,
                                      extractor="gazetteer:actors:state_side", confidence=0.9,
                                      canonical=countries[iso], actor_type="state", country=iso))
    return found
