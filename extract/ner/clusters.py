"""Word clusters learned from unlabeled text: word vectors (PPMI-weighted left/right
co-occurrence counts reduced by truncated SVD, or gensim's word2vec for large text),
grouped by k-means at two granularities.

Words that share a cluster occur in similar contexts (town names with town names,
titles with titles), which lets the CRF generalise to names it never saw labelled.
The result is a TSV (``word<TAB>coarse<TAB>fine``) shipped in the model directory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

CLUSTERS_FILE = "clusters.tsv"


def build_clusters(sentences: Iterable[Sequence[str]], *, seed: int, coarse: int = 32,
                   fine: int = 256, method: str = "ppmi") -> dict[str, tuple[str, str]]:
    """Word -> (coarse cluster id, fine cluster id) for the words that get a vector
    (``method``: ``ppmi`` for :func:`word_vectors`, ``word2vec`` for :func:`word2vec_vectors`)."""
    from sklearn.cluster import KMeans

    vectorizers: dict[str, Callable[..., tuple[list[str], np.ndarray]]] = {"ppmi": word_vectors, "word2vec": word2vec_vectors}
    vectorize = vectorizers[method]
    words, vectors = vectorize(sentences, seed=seed)
    if len(words) < 2:
        return {}
    coarse_ids = KMeans(min(coarse, len(words)), n_init=3, random_state=seed).fit_predict(vectors)
    fine_ids = KMeans(min(fine, len(words)), n_init=3, random_state=seed).fit_predict(vectors)
    return {w: (str(c), str(f)) for w, c, f in zip(words, coarse_ids, fine_ids)}


def word_vectors(sentences: Iterable[Sequence[str]], *, seed: int, min_count: int = 3,
                 max_words: int = 30_000, max_contexts: int = 5_000, window: int = 2,
                 dim: int = 100) -> tuple[list[str], np.ndarray]:
    """Unit-length vectors of the words seen ``min_count`` times (most frequent first)."""
    from scipy.sparse import coo_matrix
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    sentences = [list(s) for s in sentences]
    counts = Counter(w for s in sentences for w in s)
    words = sorted((w for w, c in counts.items() if c >= min_count and any(ch.isalpha() for ch in w)),
                   key=lambda w: (-counts[w], w))[:max_words]
    contexts = sorted(counts, key=lambda w: (-counts[w], w))[:max_contexts]
    row = {w: i for i, w in enumerate(words)}
    col = {w: i for i, w in enumerate(contexts)}
    pairs: Counter[tuple[int, int]] = Counter()
    for s in sentences:
        for i, w in enumerate(s):
            if w not in row:
                continue
            for off in range(-window, window + 1):
                j = i + off
                if off and 0 <= j < len(s) and s[j] in col:
                    pairs[row[w], col[s[j]] * 2 + (off > 0)] += 1
    dim = min(dim, len(words), 2 * len(contexts)) - 1
    if dim < 1 or not pairs:
        return [], np.zeros((0, 0))
    keys = np.array(list(pairs), dtype=np.int64)
    values = np.array(list(pairs.values()), dtype=np.float64)
    matrix = coo_matrix((values, (keys[:, 0], keys[:, 1])), shape=(len(words), 2 * len(contexts))).tocsr()
    return words, normalize(TruncatedSVD(dim, random_state=seed).fit_transform(_ppmi(matrix)))


def word2vec_vectors(sentences: Iterable[Sequence[str]], *, seed: int, min_count: int = 5,
                     max_words: int = 60_000, dim: int = 100, window: int = 5,
                     epochs: int = 5) -> tuple[list[str], np.ndarray]:
    """Unit-length skip-gram vectors (gensim word2vec, one worker: deterministic) of the
    ``max_words`` most frequent words with a letter, seen ``min_count`` times."""
    from gensim.models import Word2Vec
    from sklearn.preprocessing import normalize

    model = Word2Vec([list(s) for s in sentences], vector_size=dim, window=window, min_count=min_count, sg=1,
                     negative=5, epochs=epochs, workers=1, seed=seed)
    words = [w for w in model.wv.index_to_key if any(ch.isalpha() for ch in w)][:max_words]
    return words, normalize(model.wv[words])


def _ppmi(matrix, alpha: float = 0.75):
    """Positive PMI with context-distribution smoothing (Levy et al. 2015)."""
    row_sums = np.asarray(matrix.sum(axis=1)).ravel()
    col_sums = np.asarray(matrix.sum(axis=0)).ravel() ** alpha
    coo = matrix.tocoo()
    pmi = np.log(coo.data * col_sums.sum() / (row_sums[coo.row] * col_sums[coo.col]))
    coo.data = np.maximum(pmi, 0.0)
    coo.eliminate_zeros()
    return coo.tocsr()


def write_clusters(clusters: dict[str, tuple[str, str]], path: str | Path, source: str,
                   method: str = "ppmi") -> None:
    """Write clusters as TSV with a ``#`` header naming the text they were learned from."""
    lines = [f"# Word clusters ({method} vectors + k-means) learned from: {source}", "word\tcoarse\tfine"]
    lines += [f"{w}\t{c}\t{f}" for w, (c, f) in sorted(clusters.items())]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_clusters(path: str | Path) -> dict[str, tuple[str, str]]:
    """Clusters written by :func:`write_clusters`."""
    out = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("word\t") or not line.strip():
            continue
        word, coarse, fine = line.split("\t")
        out[word] = (coarse, fine)
    return out
