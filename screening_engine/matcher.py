"""The screening index: candidate blocking, vectorised scoring, explanations.

How a name is scored (per batch of queries in numpy/scipy/rapidfuzz; no Python loop over
name pairs; docs/screening.md explains each step with examples):

1. **Blocking.** Every listed name is a TF-IDF vector of character 3-grams of its
   skeleton tokens (each token padded by spaces, so word order does not matter; generic
   words and legal forms down-weighted; 3-grams in more than ``BLOCK_MAX_DF`` of the
   names left out). The batch's vectors are multiplied with the sparse matrix of all
   names; products under ``BLOCK_REL_CUT`` x the row's best are dropped and the
   ``candidates`` best names kept.
2. **Token credit.** Every query token is compared with every token of every candidate
   (unique pairs, one rapidfuzz ``cpdist`` call per batch): credit
   ``(1 - OSA distance / length) ** EDIT_POW`` when that similarity reaches ``EDIT_CUT``,
   else 0; the query's last word may also be the start of a listed word
   (``PREFIX_CREDIT``, a cut-off field).
3. **Weights.** Inverse document frequency over all listed names; legal forms and generic
   business words weigh ``GENERIC_FACTOR`` of that, except one in the query that matches
   nothing of a listed person (a person's name holds no legal form). A matched query word
   takes the weight of the listed word it matched; an unknown short last word weighs
   little.
4. **Coverage of both names.** ``QUERY_SIDE * query coverage + (1 - QUERY_SIDE) * listed
   coverage``: dropping a word of the listed name costs little, sharing only generic
   words gives little. A query word covers the one listed word it matches best (and
   that word again where the listed name repeats it). A query of common words only is
   measured against at least the median token weight (``MIN_QUERY_WEIGHT_FACTOR``). A
   query of ``ORDERED_MIN_WORDS`` or more words, each found exactly and in the listed
   name's order (the listed name with words left out), weighs its side ``ORDERED_SIDE``.
5. **Whole-name checks.** rapidfuzz ``ratio`` of the sorted distinctive skeletons joined
   without spaces (merged/split words), and the query as written being the start of the
   listed name as written (truncation, ``TRUNCATION_FACTOR``).
6. **Qualifiers.** A contradicting partner type costs ``TYPE_PENALTY`` points; a country
   none of the entity's countries (addresses, nationalities, OFAC country program)
   matches costs ``COUNTRY_PENALTY``, a matching one adds ``COUNTRY_BONUS``.
7. The entity score is the best of its names (primary and aliases), 0-100.

The constants were tuned on ``bench/screening.py`` (seeds 5-7) and checked on unseen
seeds (docs/screening.md has the figures and what else was tried); change them
only with a new benchmark run and a re-calibrated ``DEFAULT_THRESHOLD``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Prefix
from scipy import sparse

from .countries import to_iso2
from .entities import ENTITY_TYPES, Entity, EntityType
from .normalize import (
    GENERIC_WORDS,
    NormalizedName,
    is_legal_form,
    normalize,
    skeleton,
    to_ascii,
)
from .results import Explanation, Hit, Query, TokenMatch

# ------------------------------------------------------------------ scoring constants
EDIT_FLOOR = 0.0
EDIT_CUT = 0.7
EDIT_POW = 0.5
PREFIX_CREDIT = 0.9
TRUNCATION_MIN_CHARS = 24
TRUNCATION_FACTOR = 0.95
SHORT_TAIL = 4
GENERIC_FACTOR = 0.2
QUERY_SIDE = 0.72
ORDERED_SIDE = 0.85
ORDERED_MIN_WORDS = 3
MIN_QUERY_WEIGHT_FACTOR = 1.0
STRING_FACTOR = 0.92
STRING_FLOOR = 0.5
TYPE_PENALTY = 12.0
COUNTRY_PENALTY = 6.0
COUNTRY_BONUS = 2.0
MAX_TOKENS = 10
NGRAM = 3
BLOCK_MAX_DF = 0.04
BLOCK_REL_CUT = 0.3
BATCH_CHUNK = 256
GRAM_CACHE_SIZE = 200_000

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]

_TYPE_CODES: dict[str, int] = {t: i for i, t in enumerate(ENTITY_TYPES)}
_UNKNOWN_TYPE = _TYPE_CODES["unknown"]
_GENERIC_SKELETONS = frozenset(skeleton(w) for w in GENERIC_WORDS)


@dataclass(slots=True)
class _Prepared:
    """A batch of queries turned into arrays."""

    norms: list[NormalizedName]
    tok: IntArray  # [B, T] ids into ``strings`` (-1 = padding)
    weight: FloatArray  # [B, T]
    generic: npt.NDArray[np.bool_]  # [B, T] a legal form or generic business word
    is_last: npt.NDArray[np.bool_]  # [B, T] the query's last token
    strings: list[str]  # distinct query skeletons of the batch
    string_len: npt.NDArray[np.int32]
    vocab_id: IntArray  # per distinct query skeleton: index vocabulary id or -1
    types: IntArray  # [B] type code or -1
    countries: IntArray  # [B] country column or -1
    keys: list[str]
    display: list[str]  # raw keys (see _raw_key), for the truncation check
    display_len: npt.NDArray[np.int32]


@dataclass(slots=True)
class _Scored:
    cand: IntArray  # [B, K] name ids (-1 padding)
    score: FloatArray  # [B, K] final score 0-100
    name_score: FloatArray  # [B, K] 0-1
    token_score: FloatArray
    string_score: FloatArray
    qcov: FloatArray
    ccov: FloatArray
    adjust: list[npt.NDArray[np.float32]] = field(default_factory=list)


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


# OFAC country programs (the part before "-" or a digit) and their country. Programs
# named after a country but aimed elsewhere (UKRAINE-EO13662 targets Russian firms) are
# left out.
PROGRAM_COUNTRIES: dict[str, str] = {
    "CUBA": "cu", "IRAN": "ir", "SYRIA": "sy", "DPRK": "kp", "NKSPEA": "kp",
    "VENEZUELA": "ve", "BELARUS": "by", "RUSSIA": "ru", "BURMA": "mm", "IRAQ": "iq",
    "LIBYA": "ly", "SUDAN": "sd", "SOUTH SUDAN": "ss", "ZIMBABWE": "zw", "NICARAGUA": "ni",
    "YEMEN": "ye", "SOMALIA": "so", "LEBANON": "lb", "MALI": "ml", "CAR": "cf", "DRC": "cd",
    "HONGKONG": "hk", "BALKANS": "", "CYBER": "", "SDGT": "",
}  # fmt: skip
_PROGRAM_HEAD = re.compile(r"^([A-Z ]+?)(?:[-0-9]|$)")


def _related_countries(entity: Entity) -> tuple[str, ...]:
    # Through to_iso2 like the query's country, so "PA", "pa" and "Panama" are one column.
    found = [code for code in map(to_iso2, entity.countries) if code]
    if entity.list_id in ("ofac_sdn", "ofac_cons"):
        for program in entity.programs:
            head = _PROGRAM_HEAD.match(program.upper())
            code = PROGRAM_COUNTRIES.get(head[1].strip(), "") if head else ""
            if code:
                found.append(code)
    return tuple(dict.fromkeys(found))


def _raw_key(name: str) -> str:
    """Lowercase ASCII words of a name as written (legal forms kept): for prefix checks."""
    return " ".join(_NON_ALNUM.sub(" ", to_ascii(name).lower()).split())


def _string_key(norm: NormalizedName) -> str:
    """Distinctive skeletons, sorted and joined without spaces (catches merged words)."""
    distinctive = [s for s in norm.skeletons if s not in _GENERIC_SKELETONS] or list(norm.skeletons)
    return "".join(sorted(distinctive))


def _token_credit(
    left: Sequence[str],
    right: Sequence[str],
    llen: npt.NDArray[np.int32] | None = None,
    rlen: npt.NDArray[np.int32] | None = None,
    allow_prefix: npt.NDArray[np.bool_] | None = None,
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Credit (0-1) for pairs of different tokens, and credit if left were cut short.

    Edit-distance credit: ``sqrt(1 - OSA distance / longer length)`` when that similarity
    is at least ``EDIT_CUT`` (one typo in a 4-letter word keeps 0.87, in an 8-letter
    word 0.94; unrelated words get 0). The second array also credits ``left`` being the
    start (3+ letters) of ``right``, where ``allow_prefix`` says so.
    """
    if llen is None:
        llen = np.fromiter((len(t) for t in left), dtype=np.int32, count=len(left))
    if rlen is None:
        rlen = np.fromiter((len(t) for t in right), dtype=np.int32, count=len(right))
    longest = np.maximum(np.maximum(llen, rlen), 1)
    credit = np.zeros(len(left), dtype=np.float32)
    # Lengths alone rule out most pairs: an edit similarity of EDIT_FLOOR needs the shorter
    # token to be at least that share of the longer one.
    close = np.flatnonzero(np.minimum(llen, rlen) >= min(EDIT_CUT, 0.5) * longest)
    if close.size:
        cl = [left[i] for i in close.tolist()]
        cr = [right[i] for i in close.tolist()]
        dist = process.cpdist(cl, cr, scorer=OSA.distance, dtype=np.int32)
        edit_sim = 1.0 - dist / longest[close]
        edit_credit = np.where(
            edit_sim >= EDIT_CUT,
            np.clip((edit_sim - EDIT_FLOOR) / (1.0 - EDIT_FLOOR), 0.0, 1.0) ** EDIT_POW,
            0.0,
        )
        credit[close] = edit_credit
    prefix_credit = np.zeros(len(left), dtype=np.float32)
    prefix_mask = (llen >= 3) & (llen < rlen)
    if allow_prefix is not None:
        prefix_mask &= allow_prefix
    maybe_prefix = np.flatnonzero(prefix_mask)
    if maybe_prefix.size:
        pl = [left[i] for i in maybe_prefix.tolist()]
        pr = [right[i] for i in maybe_prefix.tolist()]
        common = process.cpdist(pl, pr, scorer=Prefix.similarity, dtype=np.int32)
        prefix_credit[maybe_prefix] = np.where(common == llen[maybe_prefix], PREFIX_CREDIT, 0.0)
    return credit, np.maximum(credit, prefix_credit)


class ScreeningIndex:
    """All listed names of a set of entities, ready for batch and single screening."""

    def __init__(
        self,
        entities: Iterable[Entity],
        *,
        candidates: int = 20,
        weights_from: ScreeningIndex | None = None,
    ) -> None:
        """``weights_from``: a larger index (the whole active lists) whose word weights
        this index uses, so that screening against a few entities (the ones a new list
        version added or changed) scores a name as the full index would."""
        self.entities: Sequence[Entity] = list(entities)
        self.candidates = candidates
        names: list[str] = []
        name_entity: list[int] = []
        norms: list[NormalizedName] = []
        for ei, ent in enumerate(self.entities):
            seen: set[tuple[str, ...]] = set()
            for name in ent.names:
                norm = normalize(name)
                if not norm.skeletons or norm.skeletons in seen:
                    continue
                seen.add(norm.skeletons)
                names.append(name)
                name_entity.append(ei)
                norms.append(norm)
        self.name_text: Sequence[str] = names
        self.name_entity = np.asarray(name_entity, dtype=np.int32)
        self.name_norms: Sequence[NormalizedName] = norms
        n_names = len(names)

        # Vocabulary of skeleton tokens with document frequency over names.
        vocab: dict[str, int] = {}
        df: list[int] = []
        generic: list[bool] = []
        tok = np.full((n_names, MAX_TOKENS), -1, dtype=np.int32)
        for ni, norm in enumerate(norms):
            for pos, (disp, skel) in enumerate(
                zip(norm.tokens[:MAX_TOKENS], norm.skeletons[:MAX_TOKENS], strict=True)
            ):
                vid = vocab.get(skel)
                if vid is None:
                    vid = vocab[skel] = len(df)
                    df.append(0)
                    generic.append(False)
                if skel not in norm.skeletons[:pos]:
                    df[vid] += 1
                if is_legal_form(disp) or skel in _GENERIC_SKELETONS:
                    generic[vid] = True
                tok[ni, pos] = vid
        self.vocab = list(vocab)
        self.vocab_index = vocab
        self.vocab_len = np.asarray([len(v) for v in self.vocab], dtype=np.int32)
        df_arr = np.asarray(df, dtype=np.float64)
        idf = np.log((n_names + 1) / (df_arr + 1)) + 1.0
        self.max_idf = float(math.log(n_names + 1) + 1.0)
        self.vocab_generic = np.asarray(generic, dtype=bool)
        self.vocab_weight = (idf * np.where(self.vocab_generic, GENERIC_FACTOR, 1.0)).astype(
            np.float32
        )
        self.min_query_weight = float(np.median(idf)) if len(idf) else 1.0
        self.min_query_weight *= MIN_QUERY_WEIGHT_FACTOR
        self.reference: ScreeningIndex | None = None
        if weights_from is not None:
            self._adopt_weights(weights_from)
        self.name_tok = tok
        self.name_tokw = np.where(tok >= 0, self.vocab_weight[np.maximum(tok, 0)], 0).astype(
            np.float32
        )
        self.name_keys = [_string_key(norm) for norm in norms]
        self.name_display = [_raw_key(name) for name in names]

        # Qualifier arrays.
        self.entity_type = np.asarray([_TYPE_CODES[e.type] for e in self.entities], dtype=np.int8)
        # Countries an entity is tied to: its addresses, nationalities and flags, plus the
        # country of a country sanctions program (OFAC's CUBA, IRAN, SYRIA, ...).
        related = [_related_countries(e) for e in self.entities]
        country_codes = sorted({c for cs in related for c in cs})
        self.country_column = {c: i for i, c in enumerate(country_codes)}
        rows = [ei for ei, cs in enumerate(related) for _ in cs]
        cols = [self.country_column[c] for cs in related for c in cs]
        self.entity_countries = np.zeros(
            (len(self.entities), max(1, len(country_codes))), dtype=bool
        )
        self.entity_countries[rows, cols] = True
        self.entity_has_country = np.asarray([bool(cs) for cs in related], dtype=bool)

        # Blocking matrix: TF-IDF of character 3-grams over skeleton tokens.
        self.ngram_index: dict[str, int] = {}
        self._gram_cache: dict[str, tuple[int, ...]] = {}
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for norm in norms:
            feats = self._ngram_features(norm.skeletons, add=True)
            for fid, val in feats.items():
                indices.append(fid)
                data.append(val)
            indptr.append(len(indices))
        n_feats = len(self.ngram_index)
        mat = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
            shape=(n_names, n_feats),
        )
        ngram_df = np.bincount(mat.indices, minlength=n_feats).astype(np.float64)
        self.ngram_idf = (np.log((n_names + 1) / (ngram_df + 1)) + 1.0).astype(np.float32)
        # Very common 3-grams (" al", "ing") cost most of the sparse product and decide
        # little: they are left out of the blocking vectors, except for names that would
        # keep fewer than two features without them.
        self.ngram_common = ngram_df > max(BLOCK_MAX_DF * n_names, 50)
        mat = self._prune_common(mat)
        mat = mat.multiply(self.ngram_idf[None, :]).tocsr()
        norms_l2 = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
        norms_l2[norms_l2 == 0] = 1.0
        mat = sparse.diags((1.0 / norms_l2).astype(np.float32)).dot(mat).tocsr()
        self.block_t = mat.T.tocsr().astype(np.float32)

    def _adopt_weights(self, ref: ScreeningIndex) -> None:
        for vid, skel in enumerate(self.vocab):
            rid = ref.vocab_index.get(skel)
            if rid is not None:
                self.vocab_weight[vid] = ref.vocab_weight[rid]
        self.max_idf = ref.max_idf
        self.min_query_weight = ref.min_query_weight
        self.reference = ref

    # ------------------------------------------------------------------ features

    def _prune_common(self, mat: sparse.csr_matrix) -> sparse.csr_matrix:
        common = self.ngram_common[mat.indices]
        row_of = np.repeat(np.arange(mat.shape[0]), np.diff(mat.indptr))
        kept_per_row = np.bincount(row_of[~common], minlength=mat.shape[0])
        drop = common & (kept_per_row[row_of] >= 2)
        if drop.any():
            mat = mat.copy()
            mat.data[drop] = 0
            mat.eliminate_zeros()
        return mat

    def _ngram_features(self, skeletons: Sequence[str], *, add: bool) -> dict[int, float]:
        feats: dict[int, float] = {}
        for skel in skeletons[:MAX_TOKENS]:
            weight = GENERIC_FACTOR if skel in _GENERIC_SKELETONS else 1.0
            for fid in self._token_grams(skel, add=add):
                feats[fid] = feats.get(fid, 0.0) + weight
        return feats

    def _token_grams(self, skel: str, *, add: bool) -> tuple[int, ...]:
        """Feature ids of a token's padded 3-grams (cached: partner names repeat words)."""
        cached = self._gram_cache.get(skel)
        if cached is not None:
            return cached
        index = self.ngram_index
        padded = f" {skel} "
        fids: list[int] = []
        for i in range(max(1, len(padded) - NGRAM + 1)):
            gram = padded[i : i + NGRAM]
            fid = index.get(gram)
            if fid is None:
                if not add:
                    continue
                fid = index[gram] = len(index)
            fids.append(fid)
        result = tuple(fids)
        if len(self._gram_cache) < GRAM_CACHE_SIZE:
            self._gram_cache[skel] = result
        return result

    def _prepare(self, queries: Sequence[Query]) -> _Prepared:
        b = len(queries)
        norms = [normalize(q.name) for q in queries]
        width = max([min(len(n.skeletons), MAX_TOKENS) for n in norms] + [1])
        tok = np.full((b, width), -1, dtype=np.int32)
        weight = np.zeros((b, width), dtype=np.float32)
        generic = np.zeros((b, width), dtype=bool)
        strings: dict[str, int] = {}
        for qi, norm in enumerate(norms):
            n_tokens = min(len(norm.tokens), MAX_TOKENS)
            for pos, (disp, skel) in enumerate(
                zip(norm.tokens[:MAX_TOKENS], norm.skeletons[:MAX_TOKENS], strict=True)
            ):
                sid = strings.setdefault(skel, len(strings))
                tok[qi, pos] = sid
                vid = self.vocab_index.get(skel)
                rid = None if self.reference is None else self.reference.vocab_index.get(skel)
                if vid is not None:
                    weight[qi, pos] = self.vocab_weight[vid]
                    generic[qi, pos] = self.vocab_generic[vid]
                elif rid is not None and self.reference is not None:
                    weight[qi, pos] = self.reference.vocab_weight[rid]
                    generic[qi, pos] = self.reference.vocab_generic[rid]
                else:
                    # An unknown word counts as rare, unless it is a legal form or a short
                    # last word (a field cut off at a fixed width: "... INTERNATIONAL TR").
                    generic[qi, pos] = is_legal_form(disp) or skel in _GENERIC_SKELETONS
                    cut_off = pos == n_tokens - 1 and len(disp) <= SHORT_TAIL and n_tokens > 1
                    factor = GENERIC_FACTOR if generic[qi, pos] or cut_off else 1.0
                    weight[qi, pos] = self.max_idf * factor
        vocab_id = np.asarray([self.vocab_index.get(s, -1) for s in strings], dtype=np.int32)
        counts = (tok >= 0).sum(axis=1)
        is_last = np.zeros((b, width), dtype=bool)
        is_last[np.arange(b), np.maximum(counts - 1, 0)] = counts > 0
        types = np.asarray(
            [_TYPE_CODES[q.type] if q.type and q.type != "unknown" else -1 for q in queries],
            dtype=np.int32,
        )
        countries = np.full(b, -1, dtype=np.int32)
        for qi, q in enumerate(queries):
            if q.country:
                code = to_iso2(q.country)
                # -2: a known country that no listed entity has (every comparison contradicts)
                countries[qi] = self.country_column.get(code, -2) if code else -1
        return _Prepared(
            norms=norms,
            tok=tok,
            weight=weight,
            generic=generic,
            is_last=is_last,
            strings=list(strings),
            string_len=np.asarray([len(x) for x in strings], dtype=np.int32),
            vocab_id=vocab_id,
            types=types,
            countries=countries,
            keys=[_string_key(n) for n in norms],
            display=(display := [_raw_key(q.name) for q in queries]),
            display_len=np.asarray([len(d) for d in display], dtype=np.int32),
        )

    # ------------------------------------------------------------------ blocking

    def _block(self, prep: _Prepared, k: int) -> IntArray:
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for norm in prep.norms:
            feats = self._ngram_features(norm.skeletons, add=False)
            indices.extend(feats)
            data.extend(feats.values())
            indptr.append(len(indices))
        qmat = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
            shape=(len(prep.norms), len(self.ngram_index)),
        )
        qmat = self._prune_common(qmat).multiply(self.ngram_idf[None, :]).tocsr()
        sims = (qmat @ self.block_t).tocsr()
        n_rows = len(prep.norms)
        out = np.full((n_rows, k), -1, dtype=np.int32)
        if sims.nnz == 0:
            return out
        # Most stored products come from one shared 3-gram and are far below the row's
        # best: drop everything under BLOCK_REL_CUT x the row maximum before selecting.
        counts = np.diff(sims.indptr)
        row_of = np.repeat(np.arange(n_rows), counts)
        row_max = np.zeros(n_rows, dtype=np.float32)
        nonempty = counts > 0
        row_max[nonempty] = np.maximum.reduceat(sims.data, sims.indptr[:-1][nonempty])
        keep = sims.data >= BLOCK_REL_CUT * row_max[row_of]
        kept_rows = row_of[keep]
        kept_data = sims.data[keep]
        kept_cols = sims.indices[keep]
        bounds = np.searchsorted(kept_rows, np.arange(n_rows + 1))
        for qi in range(n_rows):
            start, end = bounds[qi], bounds[qi + 1]
            n = end - start
            if n == 0:
                continue
            if n > k:
                top = np.argpartition(kept_data[start:end], n - k)[n - k :]
                out[qi] = kept_cols[start:end][top]
            else:
                out[qi, :n] = kept_cols[start:end]
        return out

    # ------------------------------------------------------------------ scoring

    def _score(self, prep: _Prepared, cand: IntArray) -> _Scored:
        b, k = cand.shape
        if not len(self.name_text):
            # An index without names (every list empty): nothing to score, nothing matches.
            zero = np.zeros((b, k), dtype=np.float32)
            return _Scored(
                cand=cand,
                score=np.full((b, k), -1.0, dtype=np.float32),
                name_score=zero,
                token_score=zero,
                string_score=zero,
                qcov=zero,
                ccov=zero,
                adjust=[zero, zero],
            )
        valid_c = cand >= 0
        safe = np.maximum(cand, 0)
        ctok = np.where(valid_c[:, :, None], self.name_tok[safe], -1)  # [B, K, L]
        ctw = np.where(valid_c[:, :, None], self.name_tokw[safe], 0).astype(np.float32)
        qtok = prep.tok  # [B, T]
        n_vocab = len(self.vocab)
        pair_valid = (qtok[:, :, None, None] >= 0) & (ctok[:, None, :, :] >= 0)  # [B,T,K,L]
        keys = qtok[:, :, None, None].astype(np.int64) * n_vocab + ctok[:, None, :, :]
        flat_keys = keys[pair_valid]
        credit = np.zeros(pair_valid.shape, dtype=np.float32)
        prefix = np.zeros(pair_valid.shape, dtype=np.float32)
        if flat_keys.size:
            uniq, inverse = np.unique(flat_keys, return_inverse=True)
            q_ids = (uniq // n_vocab).astype(np.int64)
            v_ids = (uniq % n_vocab).astype(np.int64)
            exact = prep.vocab_id[q_ids] == v_ids
            ucredit = np.ones(uniq.shape[0], dtype=np.float32)
            uprefix = np.ones(uniq.shape[0], dtype=np.float32)
            todo = np.flatnonzero(~exact)
            if todo.size:
                qs = prep.strings
                vs = self.vocab
                q_todo, v_todo = q_ids[todo], v_ids[todo]
                left = [qs[i] for i in q_todo.tolist()]
                right = [vs[i] for i in v_todo.tolist()]
                q_is_last = np.zeros(len(qs), dtype=bool)
                q_is_last[prep.tok[prep.is_last]] = True
                ucredit[todo], uprefix[todo] = _token_credit(
                    left,
                    right,
                    prep.string_len[q_todo],
                    self.vocab_len[v_todo],
                    q_is_last[q_todo],
                )
            credit[pair_valid] = ucredit[inverse]
            prefix[pair_valid] = uprefix[inverse]
        # A cut-off last word (truncated field) may be the start of the listed word.
        last = prep.is_last[:, :, None, None]
        credit = np.where(last, np.maximum(credit, prefix), credit)
        best_q = credit.max(axis=3)  # [B, T, K]
        # A query word that matched takes the weight of the listed word it matched, so a
        # misspelt word (unknown, hence "rare") weighs what the real word weighs.
        arg_c = credit.argmax(axis=3)  # [B, T, K]
        # A listed word is covered by a query word that chose it (its best match), or
        # the same word again: one query word does not cover two different listed words
        # ("Silva" is not both SALVA and SELVA of "FUNDACION SALVA LA SELVA").
        chosen_word = np.take_along_axis(ctok[:, None, :, :], arg_c[..., None], axis=3)
        chosen = ctok[:, None, :, :] == chosen_word  # [B, T, K, L]
        best_c = np.where(chosen, credit, 0.0).max(axis=1)  # [B, K, L]
        matched_w = np.take_along_axis(ctw[:, None, :, :], arg_c[..., None], axis=3)[..., 0]
        qw = np.where(best_q > 0, matched_w, prep.weight[:, :, None])  # [B, T, K]
        # A person's name holds no business word: one in the query ("GOMEZ LIMITADA Sor
        # Teresa") that matches nothing of a listed person weighs fully, not a fifth.
        ent = self.name_entity[safe]  # [B, K]
        etype = self.entity_type[ent].astype(np.int32)
        person = etype == _TYPE_CODES["person"]
        stray = prep.generic[:, :, None] & person[:, None, :] & (best_q <= 0)
        qw = np.where(stray, qw / GENERIC_FACTOR, qw)
        qw = np.where(prep.tok[:, :, None] >= 0, qw, 0.0)
        q_total = np.maximum(qw.sum(axis=1), self.min_query_weight)  # [B, K]
        qcov = (qw * best_q).sum(axis=1) / q_total
        c_total = ctw.sum(axis=2)
        ccov = (ctw * best_c).sum(axis=2) / np.maximum(c_total, 1e-6)
        token_score = QUERY_SIDE * qcov + (1.0 - QUERY_SIDE) * ccov
        # Three or more query words, each found exactly and in the listed name's order:
        # the listed name with words left out ("TOSEE EQTESAD COMPANY" of TOSEE EQTESAD
        # AYANDEHSAZAN COMPANY). The query's side weighs more; a query of common words
        # only stays low through its coverage (measured against the median weight).
        q_valid = prep.tok >= 0  # [B, T]
        exact = np.where(q_valid[:, :, None], best_q >= 1.0, True).all(axis=1)  # [B, K]
        both = (q_valid[:, 1:] & q_valid[:, :-1])[:, :, None]
        in_order = np.where(both, arg_c[:, 1:, :] > arg_c[:, :-1, :], True).all(axis=1)
        long_enough = (q_valid.sum(axis=1) >= ORDERED_MIN_WORDS)[:, None]
        ordered_score = ORDERED_SIDE * qcov + (1.0 - ORDERED_SIDE) * ccov
        token_score = np.where(
            exact & in_order & long_enough, np.maximum(token_score, ordered_score), token_score
        )

        left_keys = [prep.keys[qi] for qi in range(b) for _ in range(k)]
        right_keys = [self.name_keys[c] for c in safe.ravel().tolist()]
        ratio = (
            process.cpdist(left_keys, right_keys, scorer=fuzz.ratio, dtype=np.float32).reshape(b, k)
            / 100.0
        )
        string_score = np.clip((ratio - STRING_FLOOR) / (1.0 - STRING_FLOOR), 0.0, 1.0)
        # Like coverage, whole-name similarity of a query made only of common words
        # counts for less.
        informative = np.minimum(prep.weight.sum(axis=1) / self.min_query_weight, 1.0)
        string_score = string_score * STRING_FACTOR * informative[:, None]
        # A query that is the start of the listed name (a field cut at a fixed width).
        prefix_len = process.cpdist(
            [prep.display[qi] for qi in range(b) for _ in range(k)],
            [self.name_display[c] for c in safe.ravel().tolist()],
            scorer=Prefix.similarity,
            dtype=np.int32,
        ).reshape(b, k)
        q_len = prep.display_len[:, None]
        truncated = (prefix_len == q_len) & (q_len >= TRUNCATION_MIN_CHARS)
        # The whole query, as written, is the start of the listed name: as strong as a
        # dropped word, unless the query is only common words (a bare legal form).
        # A longer listed name that merely starts with the query ranks below a name the
        # query matches whole (0.9 + 0.1 x listed coverage).
        trunc_score = (
            TRUNCATION_FACTOR * np.maximum(qcov, informative[:, None]) * (0.9 + 0.1 * ccov)
        )
        token_score = np.where(truncated, np.maximum(token_score, trunc_score), token_score)
        name_score = np.maximum(token_score, string_score)
        name_score = np.where(valid_c, name_score, 0.0).astype(np.float32)

        # Qualifiers.
        qtype = prep.types[:, None]
        type_adj = np.where(
            (qtype >= 0) & (etype != _UNKNOWN_TYPE) & (etype != qtype), -TYPE_PENALTY, 0.0
        )
        qc = prep.countries[:, None]
        has_country = self.entity_has_country[ent]
        known = np.broadcast_to(qc >= 0, ent.shape)
        match = np.zeros(ent.shape, dtype=bool)
        if known.any():
            rows, cols = np.nonzero(known)
            match[rows, cols] = self.entity_countries[ent[rows, cols], prep.countries[rows]]
        asked = np.broadcast_to(qc != -1, ent.shape)
        country_adj = np.where(
            asked & has_country, np.where(match, COUNTRY_BONUS, -COUNTRY_PENALTY), 0.0
        )
        total = np.clip(100.0 * name_score + type_adj + country_adj, 0.0, 100.0)
        score: FloatArray = np.where(valid_c, total, -1.0).astype(np.float32)
        return _Scored(
            cand=cand,
            score=score,
            name_score=name_score,
            token_score=token_score.astype(np.float32),
            string_score=string_score.astype(np.float32),
            qcov=qcov.astype(np.float32),
            ccov=ccov.astype(np.float32),
            adjust=[type_adj.astype(np.float32), country_adj.astype(np.float32)],
        )

    # ------------------------------------------------------------------ public API

    def screen_raw(
        self, queries: Sequence[Query], *, top: int = 5, min_score: float = 0.0
    ) -> list[list[tuple[int, int, float]]]:
        """Best entities per query as ``(entity index, name index, score)``, best first.

        This is the compact form the batch workers send back; :meth:`search` builds
        :class:`Hit` objects with explanations.
        """
        if len(queries) > BATCH_CHUNK:
            out: list[list[tuple[int, int, float]]] = []
            for start in range(0, len(queries), BATCH_CHUNK):
                out.extend(
                    self.screen_raw(
                        queries[start : start + BATCH_CHUNK], top=top, min_score=min_score
                    )
                )
            return out
        if not queries:
            return []
        _, _, scored, picks = self._run(queries, top=top, min_score=min_score)
        return [
            [(ei, int(scored.cand[qi, col]), sc) for ei, col, sc in row]
            for qi, row in enumerate(picks)
        ]

    def _run(
        self, queries: Sequence[Query], *, top: int, min_score: float
    ) -> tuple[_Prepared, IntArray, _Scored, list[list[tuple[int, int, float]]]]:
        """Block and score one chunk; per query the picked ``(entity, column, score)``."""
        prep = self._prepare(queries)
        cand = self._block(prep, self.candidates)
        empty = np.flatnonzero(cand[:, 0] < 0)
        for qi in empty.tolist():
            # No shared 3-gram with any listed name: fall back to a full scan (rare).
            found = process.extractOne(prep.keys[qi], self.name_keys, scorer=fuzz.ratio)
            if found is not None:
                cand[qi, 0] = found[2]
        scored = self._score(prep, cand)
        order = np.argsort(-scored.score, axis=1, kind="stable")
        col_sorted = order.tolist()
        cand_sorted = np.take_along_axis(cand, order, axis=1).tolist()
        score_sorted = np.take_along_axis(scored.score, order, axis=1).tolist()
        name_entity = self.name_entity
        picks: list[list[tuple[int, int, float]]] = []
        for qi in range(len(queries)):
            row: list[tuple[int, int, float]] = []
            seen: set[int] = set()
            for col, ni, sc in zip(col_sorted[qi], cand_sorted[qi], score_sorted[qi], strict=True):
                if ni < 0 or sc < min_score:
                    break
                ei = int(name_entity[ni])
                if ei in seen:
                    continue
                seen.add(ei)
                row.append((ei, col, round(float(sc), 2)))
                if len(row) >= top:
                    break
            picks.append(row)
        return prep, cand, scored, picks

    def search(
        self,
        name: str,
        *,
        country: str | None = None,
        type: EntityType | None = None,
        top: int = 5,
        min_score: float = 0.0,
        explain: bool = True,
    ) -> list[Hit]:
        """Screen one name; hits best first, each with its explanation."""
        query = Query(name=name, country=country, type=type)
        prep, cand, scored, picks = self._run([query], top=top, min_score=min_score)
        row = picks[0]
        explanations: list[Explanation | None] = (
            list(self._explain(query, prep, scored, [col for _, col, _ in row]))
            if explain
            else [None] * len(row)
        )
        return [
            Hit(
                entity=self.entities[ei],
                score=score,
                matched_name=self.name_text[int(cand[0, col])],
                explanation=expl,
            )
            for (ei, col, score), expl in zip(row, explanations, strict=True)
        ]

    def hits(self, raw: Sequence[tuple[int, int, float]]) -> list[Hit]:
        """Turn the compact rows of :meth:`screen_raw` into :class:`Hit` objects."""
        return [
            Hit(entity=self.entities[ei], score=sc, matched_name=self.name_text[ni])
            for ei, ni, sc in raw
        ]

    def explain(self, query: Query, name_index: int) -> Explanation:
        """Recompute the score of one (query, listed name) pair with its details."""
        return self.explain_many(query, [name_index])[0]

    def explain_many(self, query: Query, name_indices: Sequence[int]) -> list[Explanation]:
        """Explanations for several listed names of one query (one vectorised pass)."""
        if not name_indices:
            return []
        prep = self._prepare([query])
        cand = np.asarray([list(name_indices)], dtype=np.int32)
        scored = self._score(prep, cand)
        return self._explain(query, prep, scored, list(range(len(name_indices))))

    def _explain(
        self, query: Query, prep: _Prepared, scored: _Scored, columns: Sequence[int]
    ) -> list[Explanation]:
        """Explanations for the given candidate columns of a one-query batch."""
        name_indices = [int(scored.cand[0, c]) for c in columns]
        norm = prep.norms[0]
        q_disp = norm.tokens[:MAX_TOKENS]
        q_sk = norm.skeletons[:MAX_TOKENS]
        left: list[str] = []
        right: list[str] = []
        for ni in name_indices:
            for qs in q_sk:
                for ls in self.name_norms[ni].skeletons[:MAX_TOKENS]:
                    left.append(qs)
                    right.append(ls)
        credit, prefix = _token_credit(left, right) if left else (np.zeros(0), np.zeros(0))
        exact = np.asarray([a == b for a, b in zip(left, right, strict=True)], dtype=bool)
        credit = np.where(exact, 1.0, credit)
        prefix = np.where(exact, 1.0, prefix)
        out: list[Explanation] = []
        offset = 0
        for col, ni in zip(columns, name_indices, strict=True):
            listed = self.name_norms[ni]
            l_disp = listed.tokens[:MAX_TOKENS]
            n_l = len(l_disp)
            size = len(q_sk) * n_l
            block = credit[offset : offset + size].reshape(len(q_sk), n_l)
            pblock = prefix[offset : offset + size].reshape(len(q_sk), n_l)
            offset += size
            if len(q_sk):
                block = block.copy()
                block[-1] = np.maximum(block[-1], pblock[-1])
            matches: list[TokenMatch] = []
            l_sk = listed.skeletons[:MAX_TOKENS]
            chosen: set[str] = set()  # the listed words some query word matched best
            for pos, disp in enumerate(q_disp):
                row = block[pos] if n_l else np.zeros(1)
                best = int(np.argmax(row)) if n_l else -1
                if best >= 0 and row[best] > 0:
                    chosen.add(l_sk[best])
                matches.append(
                    TokenMatch(
                        query_token=disp,
                        listed_token=l_disp[best] if best >= 0 and row[best] > 0 else None,
                        similarity=float(row[best]) if best >= 0 else 0.0,
                        credit=float(row[best]) if best >= 0 else 0.0,
                        weight=float(prep.weight[0, pos]),
                    )
                )
            # As in the score: a listed word is matched when a query word chose it.
            unmatched = tuple(d for d, sk in zip(l_disp, l_sk, strict=True) if sk not in chosen)
            type_adj = float(scored.adjust[0][0, col])
            country_adj = float(scored.adjust[1][0, col])
            ent = self.entities[int(self.name_entity[ni])]
            adjustments: list[tuple[str, float]] = []
            if type_adj:
                adjustments.append((f"type {query.type} differs from listed {ent.type}", type_adj))
            if country_adj > 0:
                adjustments.append((f"country {query.country} matches the listing", country_adj))
            elif country_adj < 0:
                listed_c = ", ".join(_related_countries(ent))
                adjustments.append(
                    (f"country {query.country} not among listed ({listed_c})", country_adj)
                )
            out.append(
                Explanation(
                    query_tokens=tuple(matches),
                    unmatched_listed_tokens=unmatched,
                    query_coverage=float(scored.qcov[0, col]),
                    listed_coverage=float(scored.ccov[0, col]),
                    token_score=float(scored.token_score[0, col]),
                    string_score=float(scored.string_score[0, col]),
                    name_score=float(scored.name_score[0, col]),
                    adjustments=tuple(adjustments),
                    list_id=ent.list_id,
                    sub_list=ent.sub_list,
                    programs=ent.programs,
                    addresses=tuple(a.text for a in ent.addresses),
                    countries=ent.countries,
                    entity_type=ent.type,
                )
            )
        return out
