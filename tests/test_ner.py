"""The NER stage: corpus reading, entity scoring, features, training and evaluating
through the CLI, and the shipped CRF model on real sentences."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from extract import Pipeline
from extract.cli import app
from extract.ner import NER, NERModelError
from extract.ner.conll import EntityRun, bio_runs, read_conll, read_wojood, runs_to_bio, runtime_tokens
from extract.ner.evaluate import score
from extract.ner.features import Featurizer, Gazetteer
from extract.ner.names import names_from_json
from tests.conftest import assert_spans_exact

runner = CliRunner()


# --- reading corpora -------------------------------------------------------------------

@pytest.mark.parametrize("tags, runs", [
    (["B-PER", "I-PER", "O"], [("PER", 0, 2)]),
    (["B-LOC", "B-LOC"], [("LOC", 0, 1), ("LOC", 1, 2)]),
    (["O", "I-ORG", "I-ORG"], [("ORG", 1, 3)]),             # conlleval: I- after O starts an entity
    (["B-ORG", "I-LOC", "O"], [("ORG", 0, 1), ("LOC", 1, 2)]),  # a type change starts another
    (["O", "O"], []),
])
def test_bio_runs_read_tags_as_conlleval_does(tags, runs):
    assert [(r.label, r.first, r.last) for r in bio_runs(tags)] == runs
    assert bio_runs(runs_to_bio(len(tags), bio_runs(tags))) == bio_runs(tags)


def test_wojood_nested_entities_are_flattened_to_the_outermost_mapped_one(tmp_path):
    path = tmp_path / "w.nested.txt"
    path.write_text(
        "سكرتير B-OCC\nاللجنة I-OCC B-ORG\nالقومية I-OCC I-ORG\nفي I-OCC\nنابلس I-OCC B-GPE\n\n"
        "مجلس B-ORG\nالأمن I-ORG\nضد I-ORG\nالأسد I-ORG B-PERS\n$#$ O\nالعراق B-GPE\nفي O\n2003 B-DATE\n",
        encoding="utf-8")
    assert [[tag for _, tag in s] for s in read_wojood(path)] == [
        ["O", "B-ORG", "I-ORG", "O", "B-LOC"],  # OCC has no mapping: the ORG and GPE inside it stay
        ["B-ORG", "I-ORG", "I-ORG", "I-ORG"],   # PERS nested in ORG: the ORG is kept
        ["B-LOC", "O", "O"],                    # $#$ (line break) ends a sentence; DATE -> O
    ]


def test_conll_lines_without_a_tag_are_reported_with_their_line(tmp_path):
    path = tmp_path / "bad.conll"
    path.write_text("قال\tO\n\nدمشق\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.conll:3: expected 'token<TAB>tag'"):
        read_conll(path)


@pytest.mark.parametrize("sentence, expected", [
    ([("الأمم", "B-ORG"), ("المتحدة", "I-ORG")], [("الامم", "B-ORG"), ("المتحده", "I-ORG")]),
    ([("و6", "O"), ("قتلى", "O")], [("و", "O"), ("6", "O"), ("قتلي", "O")]),
    ([("(حماس)", "B-ORG"), ("قالت", "O")], [("(", "B-ORG"), ("حماس", "I-ORG"), (")", "I-ORG"), ("قالت", "O")]),
    ([("ـ", "O"), ("دمشق", "B-LOC")], [("دمشق", "B-LOC")]),  # tatweel normalizes to nothing
])
def test_corpus_tokens_are_recut_as_the_pipeline_tokenizes(sentence, expected):
    tokens, tags = runtime_tokens(sentence)
    assert [(t.norm, tag) for t, tag in zip(tokens, tags)] == expected


# --- scoring -------------------------------------------------------------------------

def test_entity_scores_count_exact_spans_and_types_only():
    gold = [[EntityRun("PER", 0, 2), EntityRun("LOC", 4, 5)],
            [EntityRun("ORG", 0, 3), EntityRun("LOC", 5, 6)]]
    pred = [[EntityRun("PER", 0, 2), EntityRun("ORG", 4, 5)],     # PER right; LOC typed as ORG
            [EntityRun("ORG", 0, 2), EntityRun("LOC", 5, 6), EntityRun("MISC", 7, 8)]]  # ORG too short
    report = score(gold, pred)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 3, 2)
    assert report.overall.precision == pytest.approx(2 / 5)
    assert report.overall.recall == pytest.approx(2 / 4)
    assert report.overall.f1 == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    assert {k: (c.tp, c.fp, c.fn) for k, c in report.by_type.items()} == {
        "PER": (1, 0, 0), "LOC": (1, 0, 1), "ORG": (0, 2, 1), "MISC": (0, 1, 0)}
    assert report.by_type["MISC"].f1 == 0.0


# --- features ------------------------------------------------------------------------

def test_gazetteer_matches_longest_name_and_peels_clitics_of_its_first_word():
    gaz = Gazetteer({("قوات", "سوريا", "الديمقراطيه"): frozenset({"ACTOR"}),
                     ("سوريا",): frozenset({"PLACE"})})
    assert gaz.matches(["وقوات", "سوريا", "الديمقراطيه", "في", "سوريا"]) == [
        ("gaz=ACTOR-B",), ("gaz=ACTOR-I",), ("gaz=ACTOR-I",), (), ("gaz=PLACE-B",)]


def test_person_name_words_are_flagged_through_clitics_and_lent_to_neighbours(tmp_path):
    table = tmp_path / "dict.json"
    table.write_text('{"rumsfeld": "رامسفيلد", "donald": "دونالد", "el said": "السعيد", "a": "أ"}',
                     encoding="utf-8")
    names = names_from_json(table)
    assert names == {"رامسفيلد", "دونالد", "السعيد"}  # one-letter words are left out
    f = Featurizer(clusters={}, gazetteer=Gazetteer({}), triggers={}, names=names)
    features = f.sentence(["قال", "ورامسفيلد", "امس"])
    assert "nm=1" in features[1] and "nm=1" not in features[0]
    assert "nm[+1]=1" in features[0] and "nm[-1]=1" in features[2]


# --- training and evaluating through the CLI -------------------------------------------

TINY_CORPUS = """\
قال\tO
الرئيس\tO
بشار\tB-PER
الأسد\tI-PER
في\tO
دمشق\tB-LOC
.\tO

دخلت\tO
قوات\tB-ORG
سوريا\tI-ORG
الديمقراطية\tI-ORG
إلى\tO
الحسكة\tB-LOC
.\tO

وصلت\tO
قافلة\tO
من\tO
العراق\tB-LOC
إلى\tO
القامشلي\tB-LOC
.\tO
"""


def test_train_and_eval_a_tiny_crf_through_the_cli(tmp_path):
    corpus = tmp_path / "tiny.conll"
    corpus.write_text("\n".join([TINY_CORPUS] * 3), encoding="utf-8")
    model = tmp_path / "ner-tiny"
    result = runner.invoke(app, ["ner", "train", "--train", str(corpus), "--dev", str(corpus),
                                 "--out", str(model), "--seed", "3", "--c1", "0", "--c2", "0.01"])
    assert result.exit_code == 0, result.output
    assert "dev tiny.conll: P 1.0000  R 1.0000  F1 1.0000" in result.output
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    assert (config["name"], config["seed"], config["train_sentences"]) == ("tiny", 3, 9)

    result = runner.invoke(app, ["ner", "eval", str(model), str(corpus)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()}
    assert rows["LOC"] == ["1.0000", "1.0000", "1.0000", "12", "12"]
    assert rows["overall"] == ["1.0000", "1.0000", "1.0000", "18", "18"]

    doc = Pipeline(ner_model=str(model))("قال الرئيس بشار الأسد في دمشق.")
    assert [(e.text, e.label, e.extractor) for e in doc.entities] == [
        ("بشار الأسد", "PER", "ner:crf:tiny"), ("دمشق", "LOC", "ner:crf:tiny")]


def test_a_crf_trained_with_domains_tags_with_the_shared_and_its_domains_weights(tmp_path):
    import numpy as np

    from extract.ner.crf import CRFWeights, read_model

    news, wiki = tmp_path / "news.conll", tmp_path / "wiki.conll"
    news.write_text("\n".join([TINY_CORPUS] * 3), encoding="utf-8")
    wiki.write_text(TINY_CORPUS, encoding="utf-8")
    model = tmp_path / "ner-tiny"
    result = runner.invoke(app, ["ner", "train", "--train", str(news), "--train", str(wiki), "--domain", "news",
                                 "--domain", "wiki", "--out", str(model), "--c1", "0", "--c2", "0.01"])
    assert result.exit_code == 0, result.output
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    assert config["domains"] == {"files": {"news.conll": "news", "wiki.conll": "wiki"}, "tag_as": "news"}

    labels, attributes, features = read_model(model / "model.crfsuite")
    raw = np.zeros((len(attributes), len(labels)))
    state = features["type"] == 0
    raw[features["source"][state], features["label"][state]] = np.round(features["weight"][state], 6)
    index = {attribute: k for k, attribute in enumerate(attributes)}
    for domain in ("news", "wiki"):
        weights = CRFWeights(model / "model.crfsuite", domain)
        assert not any(a.startswith("@") for a in weights.row)
        assert np.allclose(weights.states[weights.row["w=دمشق"]],
                           raw[index["w=دمشق"]] + raw[index[f"@{domain}:w=دمشق"]])

    result = runner.invoke(app, ["ner", "eval", str(model), str(wiki), "--domain", "wiki"])
    assert result.exit_code == 0, result.output
    assert "overall       1.0000  1.0000  1.0000" in result.output
    doc = Pipeline(ner_model=str(model))("قال الرئيس بشار الأسد في دمشق.")
    assert [(e.text, e.label) for e in doc.entities] == [("بشار الأسد", "PER"), ("دمشق", "LOC")]


def test_training_with_a_domain_per_file_needs_as_many_domains_as_files(tmp_path):
    corpus = tmp_path / "tiny.conll"
    corpus.write_text(TINY_CORPUS, encoding="utf-8")
    result = runner.invoke(app, ["ner", "train", "--train", str(corpus), "--train", str(corpus),
                                 "--domain", "news", "--out", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "1 domains for 2 training files" in result.output


@pytest.mark.parametrize("encoder, head", [("cnn", "crf"), ("lstm", "softmax")])
def test_train_a_tiny_neural_model_through_the_cli_and_tag_with_it(tmp_path, encoder, head):
    corpus = tmp_path / "tiny.conll"
    corpus.write_text("\n".join([TINY_CORPUS] * 3), encoding="utf-8")
    model = tmp_path / "ner-tiny"
    result = runner.invoke(app, ["ner", "train", "--arch", "neural", "--encoder", encoder, "--head", head,
                                 "--train", str(corpus), "--dev", str(corpus), "--out", str(model),
                                 "--seed", "3", "--epochs", "10", "--learning-rate", "0.01"])
    assert result.exit_code == 0, result.output
    assert "dev tiny.conll: P 1.0000  R 1.0000  F1 1.0000" in result.output
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    assert (config["backend"], config["encoder"], config["head"], config["seed"]) == ("neural", encoder, head, 3)
    assert {p.name for p in model.iterdir()} == {"model.pt", "vocab.json", "clusters.tsv", "config.json"}

    doc = Pipeline(ner="neural", ner_model=str(model))("قال الرئيس بشار الأسد في دمشق.")
    assert [(e.text, e.label, e.extractor) for e in doc.entities] == [
        ("بشار الأسد", "PER", "ner:neural:tiny"), ("دمشق", "LOC", "ner:neural:tiny")]
    assert all(0 < e.confidence <= 1 for e in doc.entities)
    assert_spans_exact(doc)


def test_training_an_unknown_network_says_which_are_known(tmp_path):
    corpus = tmp_path / "tiny.conll"
    corpus.write_text(TINY_CORPUS, encoding="utf-8")
    result = runner.invoke(app, ["ner", "train", "--arch", "neural", "--encoder", "gru", "--train", str(corpus),
                                 "--out", str(tmp_path / "ner-x")])
    assert result.exit_code == 2
    assert "use --encoder lstm or cnn and --head crf or softmax" in " ".join(result.output.replace("│", " ").split())
    assert not (tmp_path / "ner-x").exists()


def test_the_neural_backend_says_which_model_files_are_missing(tmp_path):
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(NERModelError, match=r"neural NER model directory .* lacks model.pt, vocab.json, clusters.tsv"):
        Pipeline(ner="neural", ner_model=str(tmp_path))
    with pytest.raises(NERModelError, match=r"the neural NER backend needs a local model directory"):
        Pipeline(ner="neural")


def test_eval_with_a_bad_model_path_says_what_is_wrong(tmp_path):
    corpus = tmp_path / "tiny.conll"
    corpus.write_text(TINY_CORPUS, encoding="utf-8")
    result = runner.invoke(app, ["ner", "eval", str(tmp_path / "missing"), str(corpus)])
    assert result.exit_code == 2
    assert "crf NER model directory not found" in result.output


# --- the shipped model in the pipeline -------------------------------------------------

def test_ner_stage_follows_the_configuration():
    assert "ner" not in Pipeline(ner=None).names
    assert "ner" not in Pipeline(disable=("ner",)).names
    names = Pipeline().names
    assert names.index("tokenize") + 1 == names.index("ner")
    assert "ner:crf:anercorp@" in Pipeline().signature


def test_shipped_model_entities_are_spans_of_the_original_text(nlp, seed_text):
    doc = nlp(seed_text)
    assert_spans_exact(doc)
    ner = [e for e in doc.entities if e.extractor == "ner:crf:anercorp"]
    assert ner and all(0 < e.confidence <= 1 for e in ner)
    assert all(e.sentence == doc.sentence_index(e.start) for e in ner)
    assert isinstance(nlp.get("ner"), NER)


def test_crf_scores_give_crfsuites_own_tags_and_marginals(seed_text):
    import pycrfsuite

    from extract.ner.crf import DEFAULT_MODEL, load_crf

    crf = load_crf()
    reference = pycrfsuite.Tagger()
    reference.open(str(DEFAULT_MODEL / "model.crfsuite"))
    sentences = _tokens(seed_text)
    runs = crf.tag_sentences(sentences)
    assert any(runs)
    for tokens, found in zip(sentences, runs):
        tags = reference.tag(crf.featurizer.sentence([t.norm for t in tokens]))
        assert [(r.label, r.first, r.last) for r in found] == [(r.label, r.first, r.last) for r in bio_runs(tags)]
        for run in found:
            lowest = min(reference.marginal(tags[i], i) for i in range(run.first, run.last))
            assert run.confidence == pytest.approx(lowest, abs=0.01)


def test_crf_weights_read_from_the_model_file_are_the_ones_crfsuite_reports():
    import numpy as np
    import pycrfsuite

    from extract.ner.crf import DEFAULT_MODEL, CRFWeights

    weights = CRFWeights(DEFAULT_MODEL / "model.crfsuite")
    reference = pycrfsuite.Tagger()
    reference.open(str(DEFAULT_MODEL / "model.crfsuite"))
    info = reference.info()
    assert weights.labels == reference.labels()
    column = {label: k for k, label in enumerate(weights.labels)}
    states = np.zeros_like(weights.states)
    for (attribute, label), weight in info.state_features.items():
        states[weights.row[attribute], column[label]] = weight
    transitions = np.zeros_like(weights.transitions)
    for (previous, label), weight in info.transitions.items():
        transitions[column[previous], column[label]] = weight
    assert len(weights.row) == len({attribute for attribute, _ in info.state_features})
    assert np.array_equal(states, weights.states) and np.array_equal(transitions, weights.transitions)


def test_decoding_finds_the_best_path_and_its_marginals_by_brute_force():
    import itertools

    import numpy as np

    from extract.ner.viterbi import decode

    rng = np.random.default_rng(5)
    transitions, start, end = rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=3)
    sentences = [rng.normal(size=(n, 3)) * 2 for n in (4, 1, 3, 2)]
    checked = 0
    for emissions, (path, probabilities) in zip(sentences, decode(sentences, transitions, start, end, outside=0)):
        scores = {tags: start[tags[0]] + end[tags[-1]] + sum(emissions[i, t] for i, t in enumerate(tags))
                  + sum(transitions[a, b] for a, b in zip(tags, tags[1:]))
                  for tags in itertools.product(range(3), repeat=len(emissions))}
        assert path == list(max(scores, key=scores.get))
        total = sum(np.exp(list(scores.values())))
        for i, tag in enumerate(path):  # 3 tokens of context either side cover these sentences
            if any(path):
                expected = sum(np.exp(v) for tags, v in scores.items() if tags[i] == tag) / total
                assert probabilities[i] == pytest.approx(expected)
                checked += 1
    assert checked >= 5


# --- one name, one label per document ------------------------------------------------

def _tokens(text):
    from extract.doc import Document
    from extract.normalize import Normalizer
    from extract.tokenize import Tokenizer

    doc = Tokenizer()(Normalizer()(Document(text)))
    return [doc.tokens[s.token_start:s.token_end] for s in doc.sentences]


def test_confident_names_are_tagged_where_they_recur_untagged():
    from extract.ner.consistency import propagate

    sentences = _tokens("أعلنت شركة انرون إفلاسها. وقال محامو انرون إن للبنك التجاري ديونا. البنك التجاري رفض.")
    runs = [[EntityRun("ORG", 2, 3, 0.95)], [], [EntityRun("ORG", 0, 2, 0.9)]]
    assert [[(r.label, r.first, r.last, r.confidence) for r in s] for s in propagate(sentences, runs)] == [
        [("ORG", 2, 3, 0.95)],
        [("ORG", 2, 3, 0.95), ("ORG", 4, 6, 0.9)],  # clitic ل on the first word is allowed
        [("ORG", 0, 2, 0.9)],
    ]


def test_unsure_names_are_not_spread():
    from extract.ner.consistency import propagate

    sentences = _tokens("زار الوليد المدينة. وصل الوليد.")
    runs = [[EntityRun("PER", 1, 2, 0.45)], []]
    assert propagate(sentences, runs) == [[EntityRun("PER", 1, 2, 0.45)], []]


# --- the shipped model on real sentences -----------------------------------------------

SEED_ENTITIES = [
    ("الحسكة", "LOC"), ("دير الزور", "LOC"), ("الرقة", "LOC"),
    ("داعش", "ORG"), ("قسد", "ORG"), ("قوات سوريا الديمقراطية", "ORG"), ("التحالف الدولي", "ORG"),
    ("المرصد السوري لحقوق الإنسان", "ORG"),
]


@pytest.mark.parametrize("text, label", SEED_ENTITIES)
def test_seed_article_names_are_tagged_with_their_type(nlp, seed_text, text, label):
    doc = nlp(seed_text)
    found = [e for e in doc.entities if e.extractor == "ner:crf:anercorp" and e.text == text]
    assert found, f"{text} not tagged"
    assert {e.label for e in found} == {label}
    assert all(seed_text[e.start:e.end] == text for e in found)


def test_decoding_works_where_numba_can_cache_nothing():
    # a read-only install without a home directory: numba finds no cache folder, and the
    # decoder must still compile (in memory) and decode rather than fail on import
    import subprocess
    import sys

    script = """
import numba.core.caching as caching
def read_only(self):
    raise OSError("read-only file system")
caching._CacheLocator.ensure_cache_path = read_only
import numpy as np
from extract.ner.viterbi import decode
transitions = np.array([[0.0, 0.0], [0.0, 2.0]])
emissions = [np.array([[1.0, 0.0], [0.0, 0.5]]), np.array([[0.0, 1.0]])]
print([path for path, _ in decode(emissions, transitions, np.zeros(2), np.zeros(2), outside=0)])
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[[1, 1], [1]]"
    assert "compiling in every process instead" in done.stderr


@pytest.mark.parametrize("text, persons", [
    ("أعلن القائد العام لقوات سوريا الديمقراطية مظلوم عبدي وصول تعزيزات إلى دير الزور.", ["مظلوم عبدي"]),
    ("قال مدير المرصد السوري لحقوق الإنسان رامي عبد الرحمن إن 40 شاحنة عبرت الحدود.", ["رامي عبد الرحمن"]),
    ("قال وزير الخارجية الروسي سيرغي لافروف إن القوات الروسية ستبقى في سوريا.", ["سيرغي لافروف"]),
    ("أكد الرئيس التركي رجب طيب أردوغان أن العملية العسكرية ستستمر.", ["رجب طيب أردوغان"]),
])
def test_persons_in_conflict_news_are_tagged_with_their_exact_span(nlp, text, persons):
    doc = nlp(text)
    assert [e.text for e in doc.entities if e.label == "PER"] == persons



def test_the_shipped_model_reads_the_gazetteer_it_was_trained_with(tmp_path):
    from extract.ner.crf import DEFAULT_MODEL, GAZETTEER_FILE
    from extract.ner.features import Gazetteer

    shipped = Gazetteer.read(DEFAULT_MODEL / GAZETTEER_FILE)
    # a city added to places.tsv after training (أبها) gives the model no feature
    assert shipped.matches(["قصف", "ابها"]) == [(), ()]
    assert shipped.matches(["مدينه", "حلب"])[1] == ("gaz=PLACE-B", "gaz=PLACE:city-B")
    assert Gazetteer.from_lexicons().matches(["ابها"]) == [("gaz=PLACE-B", "gaz=PLACE:city-B")]
    shipped.write(tmp_path / GAZETTEER_FILE)
    assert (tmp_path / GAZETTEER_FILE).read_bytes() == (DEFAULT_MODEL / GAZETTEER_FILE).read_bytes()
