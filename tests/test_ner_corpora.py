"""The NER corpora of ../shared as the trainer reads them (AQMAR, the CAMeL split of
ANERcorp, WikiFANE, SaudiNewsNet), the WikiFANE class mapping, scoring over PER/LOC/ORG,
word2vec clusters and leaving a test split's text out of training."""

from __future__ import annotations

from collections import Counter

import pytest
from typer.testing import CliRunner

from extract.cli import app
from extract.ner.clusters import build_clusters, word2vec_vectors
from extract.ner.conll import read_corpus
from extract.ner.newstext import read_saudinewsnet, text_of
from extract.ner.train import prepare
from extract.ner.wikifane import FINE_CLASSES, coarse_tag, glue_clitics
from tests.conftest import SHARED, needs_shared

NER_DATA = SHARED / "data" / "ner"
WIKIFANE = NER_DATA / "wikifane" / "WikiFANE_Gold_2014_500K.txt.gz"
runner = CliRunner()


def tag_counts(sentences) -> Counter:
    return Counter(tag for sentence in sentences for _, tag in sentence if tag != "O")


@needs_shared
def test_aqmar_is_read_space_separated_with_mis_as_misc():
    sentences = read_corpus(NER_DATA / "aqmar" / "test.txt")
    assert sentences[0][:4] == [("كرستيانو", "B-PER"), ("رونالدو", "I-PER"), ("لاعب", "O"), ("برتغالي", "O")]
    assert sentences[0][8:10] == [("منتخب", "B-ORG"), ("البرتغال", "I-ORG")]
    assert (len(sentences), tag_counts(sentences)["B-MISC"], tag_counts(sentences)["B-PER"]) == (605, 722, 424)


@needs_shared
def test_camel_split_persons_are_per():
    sentences = read_corpus(NER_DATA / "anercorp-camel.test.txt")
    assert sentences[0][:6] == [("الصالحية", "B-LOC"), ("المفرق", "B-LOC"), ("-", "O"), ("غيث", "B-PER"),
                                ("الطراونة", "I-PER"), ("-", "O")]
    assert tag_counts(sentences)["B-PER"] == 858


@pytest.mark.parametrize("fine, ours", [
    ("Politician", "PER"), ("Religious_PER", "PER"), ("Group", None),
    ("Religious_ORG", "ORG"), ("Media", "ORG"),
    ("Nation", "LOC"), ("Water-Body", "LOC"), ("Building-Grounds", "LOC"), ("Celestial", None),
    ("Software", "MISC"), ("Air", "MISC"), ("Projectile", None),
])
def test_wikifane_fine_classes_map_to_ours(fine, ours):
    assert FINE_CLASSES[fine] == ours
    assert coarse_tag(f"I-{fine}") == (f"I-{ours}" if ours else "O")


def test_an_unknown_wikifane_class_is_an_error():
    with pytest.raises(ValueError, match="'Pirate'"):
        coarse_tag("B-Pirate")


def test_wikifane_clitics_are_glued_to_their_host_word():
    tokens = [("و", "O"), ("ب", "O"), ("جامعة", "B-ORG"), ("ه", "I-ORG"), ("ك", "O"), ("،", "O"), ("ها", "O")]
    assert glue_clitics(tokens) == [("وبجامعته", "B-ORG"), ("ك", "O"), ("،", "O"), ("ها", "O")]


@needs_shared
def test_wikifane_gold_reads_with_every_class_mapped_and_clitics_glued():
    sentences = read_corpus(WIKIFANE)
    assert sentences[0][:4] == [("جمهورية", "B-LOC"), ("جنوب", "I-LOC"), ("السودان", "I-LOC"), ("،", "O")]
    assert sentences[0][12:17] == [("مدينة", "O"), ("جوبا", "B-LOC"), ("عاصمتها", "O"), ("واكبر", "O"),
                                   ("مدنها", "O")]
    counts = tag_counts(sentences)
    assert (len(sentences), counts["B-LOC"], counts["B-PER"], counts["B-ORG"], counts["B-MISC"]) == (
        15763, 16770, 8922, 4307, 2642)
    assert not any("\u200e" in token for s in sentences for token, _ in s)
    # a clitic stays alone only before or after what is not a word (quotes, digits: و"القدس", و 1991)
    assert not any(token == "و" and following[:1].isalpha()
                   for s in sentences for (token, _), (following, _) in zip(s, s[1:]))


@needs_shared
def test_saudinewsnet_articles_are_title_and_content_and_tokenize_as_the_pipeline_does():
    articles = read_saudinewsnet(SHARED / "data" / "unlabeled" / "saudinewsnet" / "2015-08-07.zip")
    assert len(articles) == 1473
    assert articles[0].startswith("معلم سعودي يكشف لـ”عين اليوم” عن قضية ابتزاز")
    first = next(text_of([SHARED / "data" / "unlabeled" / "saudinewsnet" / "2015-08-07.zip"]))
    assert first[:8] == ["معلم", "سعودي", "يكشف", "ل", '"', "عين", "اليوم", '"']  # folded: ـ and ” go


def test_word2vec_clusters_are_reproducible_and_group_like_words():
    towns, verbs = ["دمشق", "حلب", "حمص", "ادلب"], ["قال", "اعلن", "اكد", "ذكر"]
    text = ([["وصل", "الوفد", "الى", town, "امس"] for town in towns]
            + [["ثم", verb, "المتحدث", "باسم", "الوزاره"] for verb in verbs]) * 100
    assert build_clusters(text, seed=3, coarse=2, fine=4, method="word2vec") == build_clusters(
        text, seed=3, coarse=2, fine=4, method="word2vec")
    words, vectors = word2vec_vectors(text, seed=3, epochs=50)
    vector = dict(zip(words, vectors))
    assert vector["دمشق"] @ vector["حلب"] > vector["دمشق"] @ vector["قال"]


@needs_shared
def test_training_leaves_out_sentences_sharing_text_with_an_excluded_split(tmp_path):
    train = NER_DATA / "anercorp.train.conll"
    data = prepare([train], [], tmp_path / "m", seed=1, clusters_file=_empty_clusters(tmp_path),
                   exclude_files=[NER_DATA / "anercorp-camel.test.txt"])
    assert (data.excluded, len(data.sentences)) == (8, 3996)
    assert data.source["exclude_files"].keys() == {"anercorp-camel.test.txt"}


def _empty_clusters(tmp_path):
    path = tmp_path / "clusters.tsv"
    path.write_text("# no clusters\nword\tcoarse\tfine\n", encoding="utf-8")
    return path


@needs_shared
def test_eval_prints_the_per_loc_org_row_for_a_space_separated_file(tmp_path):
    corpus = tmp_path / "aqmar-like.txt"
    corpus.write_text("قال O\nوزير O\nالخارجية O\nالسوري B-MIS\nوليد B-PER\nالمعلم I-PER\nفي O\nدمشق B-LOC\n. O\n",
                      encoding="utf-8")
    result = runner.invoke(app, ["ner", "eval", "default", str(corpus)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()}
    assert rows["PER+LOC+ORG"][3] == "2" and rows["MISC"][3] == "1"


def test_clusters_command_learns_from_the_text_files_in_order(tmp_path):
    corpus = tmp_path / "text.conll"
    sentences = [f"وصل\tO\nالوفد\tO\nالى\tO\n{town}\tB-LOC\nامس\tO\n" for town in ("دمشق", "حلب", "حمص")]
    corpus.write_text("\n".join(sentences * 5), encoding="utf-8")
    out = tmp_path / "clusters.tsv"
    result = runner.invoke(app, ["ner", "clusters", "--text", str(corpus), "--vectors", "ppmi", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Word clusters (ppmi vectors + k-means) learned from: text.conll"
    assert sorted(line.split("\t")[0] for line in lines[2:]) == sorted(["وصل", "الوفد", "الي", "دمشق", "حلب", "حمص", "امس"])


def test_self_training_keeps_sentences_whose_entities_are_all_confident():
    from extract.ner.crf import load_crf
    from extract.ner.selftrain import confident_sentences

    texts = ["قال الرئيس بشار الأسد في دمشق اليوم إن الحرب انتهت. وقال إن الوضع هادئ في المنطقة اليوم."]
    kept = confident_sentences(load_crf(), texts, threshold=0.9)
    assert [[(t.text, tag) for t, tag in zip(tokens, tags) if tag != "O"] for tokens, tags in kept] == [
        [("بشار", "B-PER"), ("الأسد", "I-PER"), ("دمشق", "B-LOC")]]
