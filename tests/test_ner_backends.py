"""The Stanza and CAMeL NER backends, through their real loading code, on tiny models
built here in a temp dir (nothing is downloaded)."""

from __future__ import annotations

import random
import re

import pytest

from extract import Pipeline
from extract.ner import NERModelError, load_tagger
from extract.ner.conll import LABELS
from tests.conftest import assert_spans_exact

TRAIN_SENTENCES = [
    [("دخلت", "O"), ("قافلة", "O"), ("إلى", "O"), ("مدينة", "O"), ("دمشق", "S-LOC"), (".", "O")],
    [("قال", "O"), ("الرئيس", "O"), ("بشار", "B-PER"), ("الأسد", "E-PER"), (".", "O")],
    [("هاجمت", "O"), ("قوات", "B-ORG"), ("سوريا", "I-ORG"), ("الديمقراطية", "E-ORG"), ("دمشق", "S-LOC"), (".", "O")],
    [("وصلت", "O"), ("قافلة", "O"), ("إلى", "O"), ("دمشق", "S-LOC"), (".", "O")],
]


@pytest.fixture(scope="module")
def stanza_model(tmp_path_factory):
    """A flat Stanza model directory (ner.pt + pretrain.pt) trained in seconds."""
    from stanza.models import ner_tagger
    from stanza.models.common.pretrain import Pretrain
    from stanza.utils.datasets.ner.prepare_ner_file import process_dataset

    work = tmp_path_factory.mktemp("stanza")
    model = work / "ar-tiny"
    model.mkdir()
    words = sorted({w for s in TRAIN_SENTENCES for w, _ in s})
    rng = random.Random(7)
    vectors = work / "vectors.txt"
    vectors.write_text("".join(f"{w} {' '.join(f'{rng.uniform(-1, 1):.3f}' for _ in range(4))}\n" for w in words),
                       encoding="utf-8")
    Pretrain(str(model / "pretrain.pt"), str(vectors)).load()
    bio = work / "ar_tiny.train.bio"
    bio.write_text("\n\n".join("\n".join(f"{w}\t{t}" for w, t in s) for s in TRAIN_SENTENCES) + "\n",
                   encoding="utf-8")
    process_dataset(str(bio), str(work / "ar_tiny.train.json"))
    ner_tagger.main(["--data_dir", str(work), "--wordvec_pretrain_file", str(model / "pretrain.pt"),
                     "--train_file", str(work / "ar_tiny.train.json"), "--eval_file", str(work / "ar_tiny.train.json"),
                     "--shorthand", "ar_tiny", "--max_steps", "100", "--eval_interval", "50",
                     "--save_dir", str(model), "--save_name", "ner.pt", "--hidden_dim", "16",
                     "--char_hidden_dim", "8", "--word_emb_dim", "4", "--char_emb_dim", "4",
                     "--batch_size", "4", "--lr", "0.5", "--seed", "7"])
    return model


@pytest.fixture(scope="module")
def camel_model(tmp_path_factory):
    """A tiny randomly initialised BERT token classifier with CAMeL's labels, biased to
    tag every word ``B-PERS``, saved with ``save_pretrained``."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    model = tmp_path_factory.mktemp("camel") / "camel-tiny"
    model.mkdir()
    labels = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "في", "مدينة", "دمشق", "قوات", "."]
    (model / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=8, num_hidden_layers=1, num_attention_heads=1,
                        intermediate_size=8, id2label=dict(enumerate(labels)),
                        label2id={label: i for i, label in enumerate(labels)})
    bert = BertForTokenClassification(config)
    with torch.no_grad():
        bert.classifier.weight.zero_()
        bert.classifier.bias.zero_()
        bert.classifier.bias[labels.index("B-PERS")] = 5.0
    bert.save_pretrained(model)
    BertTokenizer(str(model / "vocab.txt")).save_pretrained(model)
    return model


def test_stanza_backend_tags_with_a_local_model(stanza_model):
    nlp = Pipeline(ner="stanza", ner_model=str(stanza_model))
    text = "وصلت قافلة إلى دمشق. قال الرئيس بشار الأسد."
    doc = nlp(text)
    assert_spans_exact(doc)
    assert [(e.text, e.label, e.sentence) for e in doc.entities if e.label == "LOC"] == [("دمشق", "LOC", 0)]
    assert {e.label for e in doc.entities} <= set(LABELS)
    assert {e.extractor for e in doc.entities} == {"ner:stanza:ar-tiny"}
    assert nlp.get("ner").signature.startswith("ner:stanza:ar-tiny@")


def test_camel_backend_tags_with_a_local_model(camel_model):
    nlp = Pipeline(ner="camel", ner_model=str(camel_model))
    text = "قوات في مدينة دمشق �."
    doc = nlp(text)
    assert_spans_exact(doc)
    # every word BERT can read is B-PERS -> PER; the replacement character, which BERT's
    # tokenizer drops, stays O and does not shift the tags of the words after it
    assert [(e.text, e.label, e.start) for e in doc.entities] == [
        ("قوات", "PER", 0), ("في", "PER", 5), ("مدينة", "PER", 8), ("دمشق", "PER", 14), (".", "PER", 20)]
    assert nlp.get("ner").signature.startswith("ner:camel:camel-tiny@")


@pytest.mark.parametrize("backend, files, message", [
    ("stanza", {}, "holding ner.pt and pretrain.pt"),
    ("stanza", {"ner.pt": b""}, "lacks pretrain.pt"),
    ("stanza", {"resources.json": b"{}"}, "has no ar/ner/*.pt model"),
    ("camel", {"config.json": b"{}"}, "lacks vocab.txt"),
    ("camel", {"config.json": b"{}", "vocab.txt": b"[UNK]\n"}, "lacks model.safetensors or pytorch_model.bin"),
    ("crf", {"model.crfsuite": b""}, "lacks clusters.tsv, config.json"),
])
def test_incomplete_model_directories_are_reported(tmp_path, backend, files, message):
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    with pytest.raises(NERModelError, match=re.escape(message)):
        load_tagger(backend, str(tmp_path))


@pytest.mark.parametrize("backend", ["crf", "stanza", "camel"])
def test_missing_model_directories_are_reported(tmp_path, backend):
    with pytest.raises(NERModelError, match=f"{backend} NER model directory not found: .*nowhere"):
        Pipeline(ner=backend, ner_model=str(tmp_path / "nowhere"))


@pytest.mark.parametrize("backend", ["stanza", "camel"])
def test_torch_backends_need_a_model_directory(backend):
    with pytest.raises(NERModelError, match="needs a local model directory"):
        load_tagger(backend, None)


def test_unknown_backend_is_reported():
    with pytest.raises(NERModelError, match="unknown NER backend 'spacy'"):
        Pipeline(ner="spacy")
