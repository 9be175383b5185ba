"""Persons named after a title: ``وزير الخارجية الأردني أيمن الصفدي``, ``المبعوث الأممي
ستافان دي ميستورا``, ``وزير الدفاع السوري العماد علي أيوب``.

A title (``person_titles.tsv``) and its modifiers (definite words, names a lexicon knows,
``في``/``لدى`` + a name, a construct noun: ``رئيس هيئة الأركان``), then ranks (``العماد``),
then the name, opening with a known first name (``person_names.txt``) or on a word the NER
reads as a person (or a MISC name: ستافان دي ميستورا): two words, or three after a particle (``عادل عبد المهدي``, ``ستافان دي ميستورا``)
or when the third is not a word with a pronoun (``بنفسه``). The name's first word is no
definite word, function word, verb of speech, title or head noun; no name word is a name a
lexicon knows (``علي أيوب عمان`` → ``علي أيوب``). The title is not part of the span.

>>> from extract import Pipeline
>>> doc = Pipeline.default(ner=None)("وقال وزير الخارجية الأردني أيمن الصفدي إن المعبر سيفتح")
>>> [(a.text, a.actor_type) for a in doc.actors if a.actor_type == "person"]
[('أيمن الصفدي', 'person')]
"""

from __future__ import annotations

from functools import cache, lru_cache

from camel_tools.utils.dediac import dediac_ar

from ..doc import ActorMention, Document, Span, Token
from ..lexicons import read_lines, read_tsv
from ..normalize import fold
from ..tokenize import lookup_forms
from .organisations import _construct, _definite, chain_words, common_words, name_ends

_CHAIN_MAX = 6
_LINKS = frozenset({"في", "لدي", "باسم"})
_CLITIC_ARTICLE = frozenset({"وال", "بال", "فال", "كال"})


@cache
def first_names() -> frozenset[str]:
    """Words that open person names (``person_names.txt``, built from the NER corpora)."""
    return frozenset(read_lines("person_names.txt"))


@cache
def titles() -> dict[str, frozenset[str]]:
    """Role (title, rank, particle) → folded words; titles also without the article (a rank
    goes with it: ``اللواء محمد`` is a general, ``لواء صقور الغاب`` a brigade)."""
    rows = read_tsv("person_titles.tsv")
    out = {}
    for role in ("title", "rank", "particle"):
        words = {fold(r["word"]) for r in rows if r["role"] == role}
        out[role] = frozenset(words | {w[2:] for w in words if w.startswith("ال") and role == "title"})
    return out


def _light(word: str) -> str:
    """Folded, but ى kept apart from ي: the preposition على is not the name علي."""
    return "".join("ى" if c == "ى" else fold(c) for c in dediac_ar(word))


@cache
def _not_names() -> frozenset[str]:
    """Words that never open a name after a title (lightly folded, see :func:`_light`)."""
    raw = [*read_lines("name_stops.txt"), *read_lines("agent_verbs.txt"),
           *(r["word"] for r in read_tsv("agent_cues.tsv")), *(r["phrase"] for r in read_tsv("incident_words.tsv")),
           *(r["word"] for r in read_tsv("org_chain_words.tsv")), *(r["word"] for r in read_tsv("person_titles.tsv")
                                                                    if r["role"] != "particle")]  # titles, ranks, stops
    return frozenset({_light(w) for w in raw} | set(chain_words().heads))


def _clitic_article(norm: str) -> bool:
    """A definite word behind a clitic: والتجارة، بالديوان، للأمم (not فالح)."""
    return (norm[:3] in _CLITIC_ARTICLE and _definite("ال" + norm[3:])) or (norm.startswith("لل") and _definite("ال" + norm[2:]))


def _role(token: Token) -> str | None:
    return _role_of(token.norm)


@lru_cache(maxsize=100_000)
def _role_of(norm: str) -> str | None:
    """"title" or "rank" when a word (clitics peeled) is one (``person_titles.tsv``)."""
    t = titles()
    for _, stem in lookup_forms(norm)[:3]:
        for role in ("title", "rank"):
            if stem in t[role]:
                return role
    return None


def is_title(token: Token) -> bool:
    """Whether a word is a title or rank of ``person_titles.tsv`` (``الملك``, ``العقيد``)."""
    return _role(token) is not None


def name_word(token: Token) -> bool:
    """A word that can go on a name after its first: no title, rank, stop, verb of speech,
    conjunction-led or function word."""
    return _name_word(token, token.sentence, first=False)


def name_stop(token: Token) -> bool:
    """A title, rank, stop word or verb of speech (``قال``)."""
    return bool(_role(token)) or any(_light(token.text[skip:]) in _not_names() for skip, _ in lookup_forms(token.norm))


def _name_word(token: Token | None, sentence: int, first: bool) -> bool:
    if token is None or token.sentence != sentence or not token.norm.isalpha() or len(token.norm) < 2:
        return False
    if first and (token.norm.startswith("ال") or _clitic_article(token.norm)):
        return False
    if not first and (token.norm[0] in "وف" or not token.norm.strip("ـ") or token.text.startswith(("لأ", "لإ", "لل"))):
        return False  # سامي الصالح والملحق، عبدالعزيز ورجاله: a conjunction ends the name; so does لأداء
    if name_stop(token):
        return False
    return not (token.norm.startswith("ال") and token.norm in chain_words().stops)


def persons(doc: Document, named: list[Span], nameable: list[bool]) -> list[ActorMention]:
    """Person names after a title, as actors of type ``person`` without canonical id; a title
    inside a ``named`` mention, not opening it, is none (``جبل الشيخ``), and a name stops at one."""
    tokens, covered = doc.tokens, -1
    found: list[ActorMention] = []
    openers = [i for i, token in enumerate(tokens[:-2]) if _role_of(token.norm)]
    if not openers:
        return found
    names = name_ends(doc, named)

    def at(j: int) -> Token | None:
        return tokens[j] if j < len(tokens) and nameable[j] else None

    inside = {t for first, end in names.items() for t in range(first + 1, end)}
    tagged = {t.index for e in doc.entities if e.label in ("PER", "MISC")
              for t in doc.tokens_between(*doc.normalized.from_original(e.start, e.end))}
    for i in openers:
        token, role = tokens[i], _role_of(tokens[i].norm)
        if i < covered or i in inside:
            continue  # not جبل الشيخ
        j, sentence = i + 1, token.sentence
        while role == "title" and j < min(len(tokens), i + 1 + _CHAIN_MAX) and tokens[j].sentence == sentence:
            norm = tokens[j].norm
            following = tokens[j + 1].norm if j + 1 < len(tokens) else ""
            if j in names:
                j = names[j]
            elif _definite(norm) or _clitic_article(norm):
                j += 1  # الخارجية، والتجارة، بالديوان، للأمم
            elif (norm in _LINKS or (j == i + 1 and _construct(norm))) and (j + 1 in names or _definite(following)):
                j += 1  # في سوريا، باسم الوزارة; right after the title: رئيس جهاز الاستخبارات، مدير عام الجمارك
            else:
                break
        while j < len(tokens) and _role(tokens[j]) and tokens[j].sentence == sentence:
            j += 1  # ranks and titles: العماد علي, العقيد دكتور عاطي
        k = j
        if j >= len(tokens) or not (tokens[j].norm in first_names() or j in tagged):
            continue  # a name opens with a known first name, or the NER reads a person there
        while k < j + 3 and k not in names and _name_word(at(k), sentence, first=k == j):
            if k == j + 2 and not (tokens[k - 1].norm in titles()["particle"] or not tokens[k].norm.endswith("ه")):
                break
            if k > j + 1 and _definite(tokens[k - 1].norm) and _definite(tokens[k].norm) and tokens[k].norm in common_words():
                break  # يحيى القحطاني المواطنين: a common word after the family name is the sentence's
            k += 1
        if k - j < 2:
            continue
        start, end = doc.original_span(tokens[j].nstart, tokens[k - 1].nend)
        found.append(ActorMention(text=doc.text[start:end], start=start, end=end, sentence=sentence,
                                  extractor="rules:persons", confidence=0.6, actor_type="person"))
        covered = k
    return found
