"""The neural tagger's network: per-word embeddings (form, bare stem, character CNN, shape,
article, trigger class, word clusters) projected to one word vector, per-token gazetteer
embeddings, a context encoder (a dilated CNN or a BiLSTM), and a head that scores tags:
a linear-chain CRF on BIO tags (transitions that BIO forbids, such as ``O`` → ``I-LOC``,
are never scored) or independent softmax decisions.

The word vector depends on the word alone, so the tagger computes it once per distinct
word (:meth:`TaggerNet.word_vectors`) and runs only the encoder and the head per article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .encoding import WORD_VOCABS

# Sizes: the embedding of each word attribute (see :class:`.encoding.WordIds`), the
# character CNN, the word vector, the gazetteer embedding and the context encoder.
DEFAULT_DIMS = {"word": 100, "core": 50, "shape": 4, "article": 2, "trigger": 8, "coarse": 8, "fine": 16,
                "char": 30, "char_filters": 50, "projection": 128, "gaz": 16, "hidden": 128}
ENCODERS = ("lstm", "cnn")
HEADS = ("crf", "softmax")
# Dilations of the CNN encoder's layers (kernel 3): each token sees 4 tokens either side.
DILATIONS = (1, 2, 1)
_FORBIDDEN = -10_000.0


def allowed_transitions(tags: Sequence[str]) -> torch.Tensor:
    """``[i, j]`` is True when tag ``j`` may follow tag ``i`` in BIO (``I-X`` only after ``B-X``/``I-X``)."""
    def ok(prev: str, tag: str) -> bool:
        return not tag.startswith("I-") or prev[2:] == tag[2:]
    return torch.tensor([[ok(p, t) for t in tags] for p in tags])


def allowed_starts(tags: Sequence[str]) -> torch.Tensor:
    """Tags a sentence may start with (not ``I-``)."""
    return torch.tensor([not t.startswith("I-") for t in tags])


class TaggerNet(nn.Module):
    """Word vectors -> context encoder -> tag scores; vocabulary sizes in ``sizes``."""

    transition_mask: torch.Tensor  # buffers (register_buffer): 0 where BIO allows a transition or start
    start_mask: torch.Tensor

    def __init__(self, sizes: Mapping[str, int], tags: Sequence[str], dims: Mapping[str, int] = DEFAULT_DIMS,
                 *, encoder: str = "lstm", head: str = "crf", dropout: float = 0.3):
        super().__init__()
        if encoder not in ENCODERS or head not in HEADS:
            raise ValueError(f"unknown encoder {encoder!r} or head {head!r}: use one of {ENCODERS} and {HEADS}")
        self.encoder, self.head = encoder, head
        self.embeddings = nn.ModuleDict({name: nn.Embedding(sizes[name], dims[name], padding_idx=0)
                                         for name in WORD_VOCABS})
        self.char_embedding = nn.Embedding(sizes["char"], dims["char"], padding_idx=0)
        self.char_cnn = nn.Conv1d(dims["char"], dims["char_filters"], kernel_size=3, padding=1)
        self.gaz_embedding = nn.Embedding(sizes["gaz"], dims["gaz"], padding_idx=0)
        word_size = sum(dims[name] for name in WORD_VOCABS) + dims["char_filters"]
        self.projection = nn.Linear(word_size, dims["projection"])
        inputs = dims["projection"] + dims["gaz"]
        if encoder == "lstm":
            self.lstm = nn.LSTM(inputs, dims["hidden"] // 2, batch_first=True, bidirectional=True)
        else:
            self.convolutions = nn.ModuleList(
                nn.Conv1d(inputs if i == 0 else dims["hidden"], dims["hidden"], 3, padding=d, dilation=d)
                for i, d in enumerate(DILATIONS))
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(dims["hidden"], len(tags))
        self.transitions = nn.Parameter(torch.zeros(len(tags), len(tags)))
        self.start = nn.Parameter(torch.zeros(len(tags)))
        self.end = nn.Parameter(torch.zeros(len(tags)))
        self.register_buffer("transition_mask", torch.where(allowed_transitions(tags), 0.0, _FORBIDDEN))
        self.register_buffer("start_mask", torch.where(allowed_starts(tags), 0.0, _FORBIDDEN))

    def word_vectors(self, word_ids: torch.Tensor, chars: torch.Tensor) -> torch.Tensor:
        """``(..., len(WORD_VOCABS))`` ids and ``(..., max chars)`` char ids -> word vectors
        (the embeddings and the character CNN's max-pooled filters, projected)."""
        parts = [self.embeddings[name](word_ids[..., k]) for k, name in enumerate(WORD_VOCABS)]
        shape = chars.shape
        embedded = self.char_embedding(chars.reshape(-1, shape[-1])).transpose(1, 2)
        convolved = self.char_cnn(embedded).masked_fill((chars.reshape(-1, 1, shape[-1]) == 0), -1e4)
        parts.append(convolved.max(dim=2).values.reshape(*shape[:-1], -1))
        return self.projection(self.dropout(torch.cat(parts, dim=-1)))

    def emissions(self, words: torch.Tensor, gaz: torch.Tensor, lengths: Sequence[int]) -> torch.Tensor:
        """Tag scores ``(batch, time, tags)`` from padded word vectors ``(batch, time, d)``
        and gazetteer ids ``(batch, time, k)``."""
        x = torch.cat([words, self.gaz_embedding(gaz).sum(dim=2)], dim=-1)
        if self.encoder == "lstm":
            packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
            hidden, _ = pad_packed_sequence(self.lstm(packed)[0], batch_first=True, total_length=x.shape[1])
        else:
            hidden = self._convolve(x, lengths)
        return self.out(self.dropout(hidden))

    def _convolve(self, x: torch.Tensor, lengths: Sequence[int]) -> torch.Tensor:
        """The CNN encoder over all sentences laid end to end, zero gaps between them (as
        wide as the largest dilation, and zeroed after every layer, so no sentence sees
        another): one convolution per layer for the whole batch."""
        gap = max(DILATIONS)
        valid = torch.arange(x.shape[1])[None, :] < torch.tensor(lengths)[:, None]
        starts = torch.tensor([0, *lengths[:-1]]).cumsum(0) + gap * torch.arange(len(lengths))
        positions = (starts[:, None] + torch.arange(x.shape[1])[None, :])[valid]
        keep = torch.zeros(1, 1, sum(lengths) + gap * len(lengths))
        keep[0, 0, positions] = 1.0
        h = torch.zeros(1, x.shape[2], keep.shape[2])
        h[0, :, positions] = x[valid].T
        for convolution in self.convolutions:
            h = torch.relu(convolution(self.dropout(h))) * keep
        out = torch.zeros(*x.shape[:2], h.shape[1])
        out[valid] = h[0, :, positions].T
        return out

    def loss(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Summed negative log-likelihood of the gold ``tags`` (CRF) or their summed cross-entropy (softmax)."""
        if self.head == "crf":
            return self._nll(emissions, tags, mask)
        return nn.functional.cross_entropy(emissions[mask], tags[mask], reduction="sum")

    def _scores(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.transitions + self.transition_mask, self.start + self.start_mask

    def _nll(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Summed negative log-likelihood of the gold ``tags`` under the CRF."""
        transitions, start = self._scores()
        batch = torch.arange(tags.shape[0])
        score = start[tags[:, 0]] + emissions[batch, 0, tags[:, 0]]
        for t in range(1, tags.shape[1]):
            step = transitions[tags[:, t - 1], tags[:, t]] + emissions[batch, t, tags[:, t]]
            score = score + step * mask[:, t]
        last = tags[batch, mask.sum(dim=1) - 1]
        score = score + self.end[last]
        return (self._log_partition(emissions, mask) - score).sum()

    def _log_partition(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Log of the summed scores of all tag sequences, per sentence (forward algorithm)."""
        transitions, start = self._scores()
        alpha = start + emissions[:, 0]
        for t in range(1, emissions.shape[1]):
            step = torch.logsumexp(alpha.unsqueeze(2) + transitions, dim=1) + emissions[:, t]
            alpha = torch.where(mask[:, t:t + 1], step, alpha)
        return torch.logsumexp(alpha + self.end, dim=1)

    def crf_scores(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Transition, start and end scores (BIO-forbidden ones included) as float64 arrays."""
        transitions, start = self._scores()
        as_transitions, as_start, as_end = (t.detach().double().numpy() for t in (transitions, start, self.end))
        return as_transitions, as_start, as_end
