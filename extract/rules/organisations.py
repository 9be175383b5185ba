"""Organisations no lexicon lists: a head noun (``org_heads.tsv``: وزارة، مديرية، مجلس، لجنة…)
and the words that go on its name.

``وزارة الزراعة اللبنانية``, ``مديرية الجمارك العامة``, ``شرطة محافظة دهوك``,
``المديرية العامة للجمارك``, ``رئاسة مجلس الوزراء``, ``الفرقة 17``: after the head come
(``org_chain_words.tsv``)

* up to two nouns in the construct state (``رئاسة مجلس``، ``شرطة محافظة``, not a verb);
* a genitive: a definite noun (``الزراعة``) or a name a lexicon knows (``دهوك``), and one more
  joined by و (``الخارجية والمغتربين``);
* adjectives: nisbas in ـي/ـية (``اللبنانية``) or listed ones (``العامة``);
* a genitive with ل (``للجمارك``, ``لشؤون اللاجئين``) and its adjectives.

A unit head (فرقة، لواء) needs a number or ordinal (``اللواء محمد`` is a rank). The head with
neither genitive nor adjective names nothing (``الوزارة``). A name ends at a time word or a
relative pronoun (``وزارة الخارجية الثلاثاء``). The gazetteer gives a state body named with its
country an id (``lebanon/وزاره_زراعه``); other names keep the key of their words.

>>> from extract import Pipeline
>>> doc = Pipeline.default(ner=None)("وأعلنت وزارة الزراعة اللبنانية ومديرية الجمارك العامة وقف التصدير")
>>> [(a.text, a.actor_type, a.key) for a in doc.actors]
[('وزارة الزراعة اللبنانية', 'government', 'lebanon/وزاره_زراعه'), ('مديرية الجمارك العامة', 'government', 'name:مديريه_الجمارك_العامه')]
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from ..doc import ActorMention, Document, Span, Token
from ..lexicons import read_lines, read_tsv
from ..normalize import fold
from ..tokenize import lookup_forms
from .dates_grammar import before_relative_date

_MAX_WORDS = 8
_DESCRIBED = frozenset({"company", "media"})  # heads that with a nationality alone describe, not name


@dataclass(frozen=True)
class _Words:
    heads: dict[str, str]
    plain_heads: frozenset[str]
    units: frozenset[str]
    adjectives: frozenset[str]
    stops: frozenset[str]
    led_by: frozenset[str]
    not_national: frozenset[str]


@cache
def chain_words() -> _Words:
    """The head nouns (folded, no article → actor type), those used mostly as plain nouns
    (``قوة``, ``مجموعة``, ``شبكة``, ``جماعة``), and the chain words."""
    rows = read_tsv("org_chain_words.tsv")
    roles = ("unit", "adjective", "stop", "led_by", "plain", "not_national")
    words = {role: frozenset(fold(r["word"]) for r in rows if r["role"] == role) for role in roles}
    bare_roles = ("unit", "led_by", "plain", "not_national")  # heads and words matched without the article
    words.update({k: frozenset(map(_bare, words[k])) for k in bare_roles})
    return _Words({r["head"]: r["type"] for r in read_tsv("org_heads.tsv")}, words["plain"], words["unit"],
                  words["adjective"], words["stop"], words["led_by"], words["not_national"])


def _bare(form: str) -> str:
    return form[2:] if form.startswith("ال") and len(form) > 4 else form


def not_national(norm: str) -> bool:
    """Whether a word makes a body more than one country's or not a state's (``الدولية``,
    ``للأمم``, ``العربي``, ``الجامعة``).

    >>> not_national("للامم"), not_national("الصحه")
    (True, False)
    """
    words = chain_words().not_national
    return any(_bare(stem) in words for _, stem in lookup_forms(norm))


@cache
def _head(norm: str) -> tuple[int, str] | None:
    """``(peeled characters, head)`` when a word is a head noun, clitics and article aside."""
    heads = chain_words().heads
    return next(((skip, _bare(stem)) for skip, stem in lookup_forms(norm) if _bare(stem) in heads), None)


@cache
def nationalities() -> dict[str, str]:
    """Folded nationality adjective (``التركي``) → ISO code, from ``incident_words.tsv``."""
    return {fold(r["phrase"]): r["value"] for r in read_tsv("incident_words.tsv") if r["role"] == "nationality"}


@cache
def demonym_countries() -> dict[str, frozenset[str]]:
    """Folded nationality adjective → the ISO codes of the countries it names: both genders,
    with and without the article, derived from the one-word country names of the lexicons
    (``مصر`` → ``المصري``, ``تركيا`` → ``التركيه``)."""
    found: dict[str, set[str]] = {}
    for row in (r for file in ("places_curated.tsv", "places_countries.tsv") for r in read_tsv(file)
                if r["type"] == "country"):
        for name in {fold(n) for n in (row["name_ar"], *row["aliases"].split("|")) if n and " " not in n}:
            for bare in {name, name[2:] if name.startswith("ال") else name}:  # المانيا: no article
                stem = bare[:-2] if bare.endswith(("يا", "يه")) else bare[:-1] if bare.endswith("ا") else bare
                if len(stem) >= 2:
                    for form in (stem + "ي", stem + "يه", "ال" + stem + "ي", "ال" + stem + "يه"):
                        found.setdefault(form, set()).add(row["country"])
    return {form: frozenset(codes) for form, codes in found.items()}


@cache
def demonyms() -> frozenset[str]:
    """Folded nationality adjectives (:func:`demonym_countries`)."""
    return frozenset(demonym_countries())


@cache
def common_words() -> frozenset[str]:
    """Words the NER corpora use almost only outside names (``common_words.txt``)."""
    return frozenset(read_lines("common_words.txt"))


def common_words_only(text: str) -> bool:
    """A name whose every word is a common word or an organisation head noun, none a
    nationality (``الجيش الوطني``, not ``الجيش السوري`` nor ``داعش``)."""
    words = [w for w in fold(text).split() if w.isalpha()]
    return bool(words) and all(
        w not in demonyms()  # the listed nationalities (incident_words.tsv) are among them
        and (w in common_words() or w.startswith("ال") and w[2:] in common_words() or head_noun(w) is not None)
        for w in words)


def head_noun(norm: str) -> str | None:
    """The organisation head noun a normalized word is (``لوزارة`` → ``وزاره``), or None."""
    found = _head(norm)
    return found[1] if found else None


_FORCES = frozenset({"جيش", "قوات", "قوه"})  # heads of armed forces typed as government
_CIVIL_BODIES = frozenset({"government", "ngo", "igo", ""})  # not companies and media: الطيران، الإذاعة name a field


def _refers_back(norm: str) -> bool:
    """A head noun of a civil body with the article and nothing after it (``الهيئة``,
    ``المهرجان``) points back to a body or event named elsewhere (not a force: ``هيئة أركان
    الجيش`` is a name; nor a company or media word, often a field: ``مكتب تحقيقات الطيران``)."""
    from .facilities import opens_name

    heads = chain_words().heads
    bare = _bare(norm)
    body = bare in heads and heads[bare] in _CIVIL_BODIES and bare not in _FORCES
    return norm.startswith("ال") and (body or opens_name(norm[2:]))


def _definite(norm: str) -> bool:
    return norm.startswith("ال") and len(norm) > 3 and norm not in chain_words().stops


def adjective(norm: str) -> bool:
    """A definite attributive adjective: a nisba (ـي، ـيه, plural ـيين، ـيون) or a listed one."""
    words = chain_words()
    return _definite(norm) and (norm in words.adjectives or (len(norm) >= 5 and norm.endswith(("ي", "يه", "يين", "يون"))))


@cache
def _person_words() -> tuple[frozenset[str], frozenset[str]]:
    """The titles and ranks (``الملك``, ``الامير``) and the first names of :mod:`.persons`,
    which builds on this module (hence the import here)."""
    from .persons import first_names, titles

    return titles()["title"] | titles()["rank"], first_names()


def _construct(norm: str) -> bool:
    """An indefinite noun that can stand in a construct chain: a head, or a word shaped neither
    like a present verb (يفعل، تفعل، نفعل), a feminine past one (فعلت) nor a nisba adjective
    (``قوة إسرائيلية مدينة أريحا``: no chain)."""
    if not norm.isalpha() or len(norm) < 3 or norm.startswith(("ال", "و")):
        return False
    if _head(norm):
        return True
    verb_like = norm[0] in "ين" or norm.startswith(("تت", "تست")) or (norm[0] == "ت" and len(norm) < 5) \
        or (norm.endswith("ت") and not norm.endswith("ات"))
    return not verb_like and not norm.endswith(("ي", "يه"))  # an indefinite nisba is an adjective


class _Chain:
    """Walks the words after a head, within its sentence."""

    def __init__(self, tokens: list[Token], names: dict[int, int], first: int):
        self.tokens, self.names, self.j = tokens, names, first
        self.sentence = tokens[first - 1].sentence

    def norm(self, offset: int = 0) -> str:
        j = self.j + offset
        ok = j < len(self.tokens) and self.tokens[j].sentence == self.sentence
        return self.tokens[j].norm if ok else ""

    def genitive(self) -> bool:
        """Take a definite noun or a lexicon name; a title with the listed person after it
        (``مؤسسة الملك عبدالله بن عبدالعزيز``)."""
        if self.j in self.names:
            self.j = self.names[self.j]
            return True
        if _definite(self.norm()):
            self.j += 1
            if self.norm(-1) in _person_words()[0]:
                self.person()
            return True
        return False

    def person(self) -> None:
        """Take the person named after a title: a listed one, or a first name and its lineage
        (``عبدالله بن عبدالعزيز``)."""
        if self.j in self.names:
            self.j = self.names[self.j]
        elif self.norm() in _person_words()[1]:
            self.j += 1
            while self.norm() in ("بن", "ابن") and self.norm(1).isalpha():
                self.j += 2

    def coordinated(self) -> None:
        """Take the further definite nouns joined by و that head no body of their own, each with
        its adjectives (``للمواصفات والمقاييس والجودة``)."""
        while self.norm().startswith("وال") and _definite(self.norm()[1:]) and _head(self.norm()) is None:
            self.j += 1
            self.adjectives()

    def adjectives(self) -> int:
        """Take the adjectives here, a coordinated one too after the first (``الشؤون البلدية
        والقروية``) unless it is a nationality (``الحكومة السورية والإيرانية`` are two); how many."""
        taken = 0
        while adjective(self.norm()) or (taken and self.norm().startswith("وال") and adjective(self.norm()[1:])
                                           and self.norm()[1:] not in nationalities()
                                           and not self.norm().endswith(("يين", "يون"))):  # والانفصاليين: a party
            self.j += 1
            taken += 1
        return taken


def chain_end(tokens: list[Token], names: dict[int, int], i: int, unit: bool, definite: bool) -> int | None:
    """The end token of the organisation name whose head is ``tokens[i]`` (``definite``: with
    the article, so it takes no genitive, only adjectives), or None."""
    c = _Chain(tokens, names, i + 1)
    if unit:
        if not (c.norm().isdigit() or c.norm() in chain_words().adjectives):
            return None
        c.j += 1
        c.adjectives()
        return c.j
    if definite:
        if not c.adjectives():
            return None
    else:
        for offset in (0, 1):  # up to two construct nouns before the genitive
            if c.j not in names and _construct(c.norm()) and (c.j + 1 in names or _definite(c.norm(1))
                                         or (offset == 0 and _construct(c.norm(1)))):
                c.j += 1
            else:
                break
        if not c.genitive():
            return None
        c.coordinated()  # وزارة الخارجية والمغتربين
        if c.adjectives():
            c.coordinated()  # الشؤون الإسلامية والأوقاف والدعوة والإرشاد
    if c.norm().startswith("لل") and _definite("ال" + c.norm()[2:]):
        c.j += 1
        c.adjectives()
        if c.norm().startswith("وال") and _definite(c.norm()[1:]) and _head(c.norm()) is None:
            c.j += 1  # الهيئة العامة للسياحة والتراث الوطني; not والهيئة …, another body
            c.adjectives()
            c.coordinated()  # للمواصفات والمقاييس والجودة
        elif c.norm().startswith("و") and c.j in c.names:
            c.j = c.names[c.j]  # الهيئة الملكية للجبيل وينبع
    elif c.norm().startswith("ل") and _construct(c.norm()[1:]) and (_definite(c.norm(1)) or c.j + 1 in names):
        c.j += 1
        c.genitive()
        c.adjectives()
    return min(c.j, i + _MAX_WORDS)


def name_ends(doc: Document, mentions: list[Span]) -> dict[int, int]:
    """First token of each mention → the token after its last (a peeled clitic aside)."""
    tokens = doc.tokens
    ends = {t.end: t.index for t in tokens}
    firsts = [t.start for t in tokens]
    out = {}
    for m in mentions:
        first = bisect_right(firsts, m.start) - 1
        if first >= 0 and m.end in ends:
            out[first] = ends[m.end] + 1
    return out


def organisations(doc: Document, named: list[Span]) -> list[ActorMention]:
    """Organisation names opened by a head noun, as actors without canonical id; ``named``
    (lexicon mentions) are the names a chain may take as its genitive."""
    tokens = doc.tokens
    names = name_ends(doc, named)
    found, covered = [], -1
    words = chain_words()
    for i, token in enumerate(tokens[:-1]):
        head = _head(token.norm) if i >= covered and token.norm.isalpha() else None
        if head is None or (head[1] in words.led_by and "ب" in token.norm[:head[0]]):
            continue  # بقيادة الملك: led by
        stem = next(stem for skip, stem in lookup_forms(token.norm) if skip == head[0] and _bare(stem) == head[1])
        end = chain_end(tokens, names, i, head[1] in words.units, stem.startswith("ال"))
        if end is not None:
            end = i + len(before_relative_date(tokens, tokens[i:end]))  # مجلس الشورى العام الماضي
        if end is None or end <= i + 1:
            continue
        if stem.startswith("ال") and words.heads[head[1]] in _DESCRIBED and \
                all(t.norm in demonyms() for t in tokens[i + 1:end]):
            continue  # الشركة الأمريكية, المصرف البريطاني: a description of a company named elsewhere
        if head[1] in words.plain_heads and end == i + 2 and i + 1 not in names \
                and common_words_only(tokens[i + 1].norm):
            continue  # قوة الزلزال, شبكة المياه, المجموعة الأولى: a plain noun and one common word, no name
        if end - i > 2 and _refers_back(tokens[end - 1].norm):
            continue  # مجلس إدارة الهيئة, لجنة تحكيم المهرجان: a part of a body named elsewhere
        nstart, nend = token.nstart + head[0], tokens[end - 1].nend
        start, stop = doc.original_span(nstart, nend)
        found.append(ActorMention(text=doc.text[start:stop], start=start, end=stop, sentence=token.sentence,
                                  extractor="rules:organisations", confidence=0.6, canonical=None,
                                  actor_type=words.heads[head[1]] or None))
        covered = end
    return found
