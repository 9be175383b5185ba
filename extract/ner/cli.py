"""``extract ner train`` (CRF or neural) and ``extract ner eval``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

ner_app = typer.Typer(help="Train and evaluate the NER models.", no_args_is_help=True)


@ner_app.command("train")
def train_command(
    train: Annotated[list[Path], typer.Option("--train", exists=True, dir_okay=False,
                                              help="Training files: CoNLL (token<TAB>BIO), or Wojood *.nested.txt.")],
    out: Annotated[Path, typer.Option("--out", help="Model directory to write (e.g. models/ner-NAME).")],
    dev: Annotated[Path | None, typer.Option("--dev", exists=True, dir_okay=False,
                                                help="CoNLL file scored after training (neural: each epoch).")] = None,
    arch: Annotated[str, typer.Option(help="crf (CRFsuite) or neural (torch; see --encoder, --head).")] = "crf",
    seed: Annotated[int, typer.Option(help="Seed of the word clustering, sampling and network initialisation.")] = 13,
    c1: Annotated[float, typer.Option(help="crf: L1 penalty (higher: fewer features, smaller model).")] = 0.03,
    c2: Annotated[float, typer.Option(help="crf: L2 penalty.")] = 0.01,
    max_iterations: Annotated[int, typer.Option(help="crf: L-BFGS iterations.")] = 120,
    encoder: Annotated[str, typer.Option(help="neural: context encoder, lstm or cnn.")] = "lstm",
    head: Annotated[str, typer.Option(help="neural: crf or softmax.")] = "crf",
    epochs: Annotated[int, typer.Option(help="neural: passes over the data (the best epoch on --dev is kept).")] = 15,
    learning_rate: Annotated[float, typer.Option(help="neural: Adam learning rate.")] = 1e-3,
    unlabeled: Annotated[list[Path] | None, typer.Option(
        "--unlabeled", exists=True, dir_okay=False,
        help="Extra text (corpus files, tags ignored, or SaudiNewsNet .zip) for the word clusters "
             "(and the neural word vectors).")] = None,
    augment: Annotated[bool, typer.Option("--augment/--no-augment",
                                          help="Add copies of sentences with ORG/LOC names swapped for lexicon names.")] = True,
    vectors: Annotated[str, typer.Option(help="crf: word vectors behind the clusters, ppmi or word2vec (gensim).")] = "ppmi",
    clusters: Annotated[Path | None, typer.Option(
        "--clusters", exists=True, dir_okay=False,
        help="crf: reuse this clusters.tsv (e.g. another model's) instead of learning clusters.")] = None,
    exclude: Annotated[list[Path] | None, typer.Option(
        "--exclude", exists=True, dir_okay=False,
        help="Leave out the training sentences found in this corpus file (e.g. a test split).")] = None,
    names: Annotated[Path | None, typer.Option(
        "--names", exists=True, dir_okay=False,
        help="crf: person-name dictionary {english: arabic} (arabnamer's dict_FINAL.json) for a name feature.")] = None,
    domain: Annotated[list[str] | None, typer.Option(
        "--domain", help="crf: the domain of each --train file, in order (e.g. news, wiki): features are learned "
                         "shared and per domain; the model tags as the first file's domain.")] = None,
) -> None:
    """Train a NER model directory from TRAIN files."""
    if domain and len(domain) != len(train):
        raise typer.BadParameter(f"{len(domain)} domains for {len(train)} training files: give one per file",
                                 param_hint="--domain")
    if arch == "crf":
        from .train import train as train_model

        config = train_model(train, dev, out, unlabeled_files=unlabeled or (), seed=seed, c1=c1, c2=c2,
                             max_iterations=max_iterations, augment=augment, vectors=vectors,
                             clusters_file=clusters, exclude_files=exclude or (), names_file=names,
                             domains=domain or ())
        typer.echo(f"wrote {out}: {config['features']} features, {config['clusters']} clustered words")
    elif arch == "neural":
        from .network import ENCODERS, HEADS
        from .train_neural import train_neural

        if encoder not in ENCODERS or head not in HEADS:
            raise typer.BadParameter(f"use --encoder {' or '.join(ENCODERS)} and --head {' or '.join(HEADS)}",
                                     param_hint="--encoder/--head")

        config = train_neural(train, dev, out, unlabeled_files=unlabeled or (), seed=seed, epochs=epochs,
                              learning_rate=learning_rate, encoder=encoder, head=head, augment=augment,
                              log=typer.echo)
        typer.echo(f"wrote {out}: {config['encoder']}-{config['head']}, best epoch {config['best_epoch']}")
    else:
        raise typer.BadParameter(f"unknown architecture {arch!r}: use crf or neural", param_hint="--arch")
    if "dev" in config:
        overall = config["dev"]["overall"]
        typer.echo(f"dev {config['dev']['file']}: P {overall['precision']:.4f}  R {overall['recall']:.4f}  "
                   f"F1 {overall['f1']:.4f}")


@ner_app.command("clusters")
def clusters_command(
    text: Annotated[list[Path], typer.Option("--text", exists=True, dir_okay=False,
                                             help="Corpus files (tags ignored) and SaudiNewsNet .zip files, in order.")],
    out: Annotated[Path, typer.Option("--out", help="clusters.tsv to write (for extract ner train --clusters).")],
    vectors: Annotated[str, typer.Option(help="ppmi or word2vec (gensim).")] = "word2vec",
    seed: Annotated[int, typer.Option(help="Seed of the vectors and the k-means.")] = 13,
) -> None:
    """Learn word clusters from TEXT, as `extract ner train` does from its training and unlabeled files."""
    from .clusters import build_clusters, write_clusters
    from .newstext import text_of

    clusters = build_clusters(text_of(text), seed=seed, method=vectors)
    write_clusters(clusters, out, ", ".join(p.name for p in text), method=vectors)
    typer.echo(f"wrote {out}: {len(clusters)} clustered words")


@ner_app.command("selftrain")
def selftrain_command(
    model: Annotated[str, typer.Argument(help="CRF model directory that tags ('default': the shipped one).")],
    text: Annotated[list[Path], typer.Option("--text", exists=True, dir_okay=False,
                                             help="SaudiNewsNet .zip files of unlabeled news.")],
    out: Annotated[Path, typer.Option("--out", help="CoNLL file to write (a --train file of the next model).")],
    threshold: Annotated[float, typer.Option(help="Lowest entity confidence of a kept sentence.")] = 0.9,
    limit: Annotated[int, typer.Option(help="Sentences to keep.")] = 5000,
) -> None:
    """Tag unlabeled news with MODEL and keep the sentences whose entities are all confident."""
    from .crf import load_crf
    from .newstext import read_saudinewsnet
    from .selftrain import confident_sentences, write_conll

    tagger = load_crf(None if model == "default" else model)
    texts = (article for path in text for article in read_saudinewsnet(path))
    kept = confident_sentences(tagger, texts, threshold=threshold, limit=limit)
    write_conll(kept, out)
    typer.echo(f"wrote {out}: {len(kept)} sentences")


@ner_app.command("eval")
def eval_command(
    model: Annotated[str, typer.Argument(help="Model directory ('default': the shipped CRF model).")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CoNLL (or Wojood *.nested.txt) file.")],
    backend: Annotated[str, typer.Option(help="crf, neural, stanza or camel.")] = "crf",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    domain: Annotated[str | None, typer.Option(
        help="crf: tag as this training domain (a model trained with --domain; default: its own).")] = None,
) -> None:
    """Entity-level exact-span precision, recall and F1 of MODEL on FILE, per type and overall."""
    from . import NER, NERModelError
    from .evaluate import evaluate

    try:
        if domain and backend == "crf":
            from .crf import CRFTagger
            stage = NER(tagger=CRFTagger(None if model == "default" else model, domain))
        else:
            stage = NER(backend, None if model == "default" else model)
    except NERModelError as error:
        raise typer.BadParameter(str(error), param_hint="MODEL") from None
    report = evaluate(stage, file)
    typer.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.table())
