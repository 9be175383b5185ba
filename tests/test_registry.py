"""The component registry and PipelineConfig: every component's arguments travel to workers,
custom components included; orders that leave a requirement unmet are refused."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest

from extract import Pipeline
from extract.errors import ExtractWarning, PipelineError
from extract.io.readers import Article
from extract.pipeline import PipelineConfig
from extract.registry import ComponentSpec, factory_names, get_factory
from extract.runner import RunOptions, run
from tests.components import FirstSentenceTitle, KeywordTagger, NamedCrossingsOnly
from tests.conftest import ROOT

TEXTS = [
    "دخلت قافلة تضم 75 شاحنة عبر معبر الوليد إلى ريف الحسكة.",
    "وصلت قافلة ثانية إلى المدينة. ثم عادت قافلة أخرى.",
]


def articles():
    return [Article(doc_id=f"doc-{i}", text=text, source="mem.jsonl", line=i + 1) for i, text in enumerate(TEXTS)]


def records(out):
    return [json.loads(line) for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]


def test_default_stages_declare_what_they_read_and_write():
    assert {"normalize", "tokenize", "ner", "gazetteer", "dates", "convoys", "decide", "calibrate", "events"} <= set(factory_names())
    assert get_factory("tokenize").requires == ("doc.normalized",)
    assert get_factory("gazetteer").assigns == ("doc.actors", "doc.places", "doc.crossings")
    assert get_factory("events").requires == ("doc.convoys",)


def test_config_carries_every_argument_of_the_default_pipeline(tmp_path):
    nlp = Pipeline.default(ner=None, lexicons=tmp_path, min_confidence=0.25, min_mention_confidence=0.5,
                           disable=("events",))
    specs = {spec.factory: spec.arguments for spec in nlp.config.components}
    assert list(specs) == ["normalize", "tokenize", "gazetteer", "dates", "convoys", "decide", "calibrate"]
    assert specs["gazetteer"] == {"lexicon_dir": str(tmp_path), "propose": True}
    assert specs["decide"] == {"min_confidence": 0.25}
    assert specs["calibrate"] == {"min_confidence": 0.5}
    assert specs["convoys"] == {"propose": True}
    rebuilt = Pipeline.from_config(nlp.config)
    assert rebuilt.signature == nlp.signature and rebuilt.config == nlp.config


def test_custom_components_reach_workers_through_the_config(tmp_path):
    nlp = Pipeline.default(ner=None)
    nlp.add(KeywordTagger(words=["قافلة", "شاحنة"]))
    nlp.add("tests.components:FirstSentenceTitle", config={"max_chars": 12}, before="keywords")
    assert nlp.names[-2:] == ["first_sentence_title", "keywords"]
    layers = ("entities", "dates", "actors", "places", "convoys", "crossings", "events")
    expected = [{k: nlp(a.text).to_dict()[k] for k in layers} for a in articles()]
    summary = run(articles(), tmp_path, nlp.config, RunOptions(workers=2, chunk_size=1))
    assert summary.processed == 2 and summary.errors == 0
    written = records(tmp_path)
    keywords = [[(e["text"], e["start"], e["end"]) for e in r["entities"] if e["label"] == "KEYWORD"] for r in written]
    assert keywords == [[("قافلة", 5, 10), ("شاحنة", 18, 23)], [("قافلة", 5, 10), ("قافلة", 38, 43)]]
    assert [r["title"] for r in written] == ["دخلت قافلة ت", "وصلت قافلة ث"]
    assert [{k: r[k] for k in layers} for r in written] == expected


def test_a_fresh_interpreter_rebuilds_a_custom_component_from_its_module():
    nlp = Pipeline([*Pipeline.default(ner=None).components[:2], KeywordTagger(label="WORD")])
    script = ("import pickle, sys; from extract.pipeline import Pipeline; "
              "nlp = Pipeline.from_config(pickle.loads(sys.stdin.buffer.read())); "
              "print(nlp.names, [(e.text, e.label) for e in nlp('قافلة ثم قافلة').entities])")
    done = subprocess.run([sys.executable, "-c", script], input=pickle.dumps(nlp.config), capture_output=True,
                          cwd=ROOT, check=True)
    assert done.stdout.decode().strip() == "['normalize', 'tokenize', 'keywords'] [('قافلة', 'WORD'), ('قافلة', 'WORD')]"


def test_a_component_that_cannot_be_rebuilt_warns_and_its_config_says_why():
    class Local:
        name = "local"

        def __call__(self, doc):
            return doc

    nlp = Pipeline.default(ner=None)
    with pytest.warns(ExtractWarning, match="'local' cannot be rebuilt in another process.*inside a function"):
        nlp.add(Local())
    with pytest.raises(PipelineError, match="'local' cannot be rebuilt.*register_component"):
        _ = nlp.config


def test_an_argument_that_is_not_plain_data_is_named():
    from extract.ner import NER, load_tagger

    tagger = load_tagger("crf")
    nlp = Pipeline([*Pipeline.default(ner=None).components[:2], NER(tagger=tagger)])
    with pytest.raises(PipelineError, match=r"argument tagger=CRFTagger\(…\) of 'ner' is not plain data"):
        _ = nlp.config
    with pytest.raises(PipelineError, match=r"'ner' needs doc\.tokens"):  # still checked where it stands
        Pipeline([NER(tagger=tagger)])


def test_an_unregistered_class_goes_by_its_dotted_path_when_it_takes_no_arguments():
    nlp = Pipeline.default(ner=None)
    nlp.add(NamedCrossingsOnly())
    assert nlp.config.components[-1] == ComponentSpec("tests.components:NamedCrossingsOnly")
    with pytest.warns(ExtractWarning, match="FirstSentenceTitle takes arguments the pipeline does not know"):
        nlp.add(FirstSentenceTitle(max_chars=20))
    nlp.components.pop()
    doc = Pipeline.from_config(nlp.config)("عبرت الشاحنات المنافذ الحدودية ثم معبر باب الهوى.")
    assert [(c.text, c.named) for c in doc.crossings] == [("معبر باب الهوى", True)]


@pytest.mark.parametrize("add, message", [
    (lambda nlp: nlp.add(KeywordTagger(), before="tokenize"), r"'keywords' needs doc\.tokens \(from 'tokenize'\)"),
    (lambda nlp: nlp.add("keywords", before="tokenise"), "no component 'tokenise' in this pipeline; it has normalize, tokenize"),
    (lambda nlp: nlp.add("keyword"), "no component factory 'keyword'; registered: .*keywords"),
    (lambda nlp: nlp.add("tests.components:Missing"), "cannot find 'Missing' in module 'tests.components'"),
    (lambda nlp: nlp.add("gazetteer"), "already has a component 'gazetteer'"),
])
def test_mistakes_in_adding_are_refused_with_what_exists(add, message):
    nlp = Pipeline.default(ner=None)
    before = list(nlp.names)
    with pytest.raises(PipelineError, match=message):
        add(nlp)
    assert nlp.names == before


def test_a_hand_built_order_is_checked():
    from extract.decide import Decider
    from extract.normalize import Normalizer
    from extract.tokenize import Tokenizer

    with pytest.raises(PipelineError, match=r"'decide' needs doc\.convoys \(from 'convoys'\) and doc\.crossings "
                                            r"\(from 'gazetteer'\)"):
        Pipeline([Normalizer(), Tokenizer(), Decider()])


def test_a_config_with_components_takes_no_default_options():
    with pytest.raises(PipelineError, match="takes no default-pipeline options"):
        PipelineConfig(ner=None, components=(ComponentSpec("normalize"),))
