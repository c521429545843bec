"""Item search (事项检索) over precomputed pinyin keys: built when the app starts, so it imports
neither pypinyin nor the database layer. The keys are made once, at catalog import, by
`counter_tui.catalog.pinyin`.

A query is split on whitespace into terms that must all match (AND). Every hit gets a match class
from the best pass it satisfies; the passes, best first, are:

 1. ``exact``     the name is the query
 2. ``code``      the code is the query (case-insensitive)
 3. ``prefix``    the name starts with the query
 4. ``alias``     an alias is the query (a clerk who types a whole common name — 营业执照 — means
                  that item, before anything that merely contains the words)
 5. ``initials``  an initials key starts with the query (``gtgsh``), then contains it
 6. ``pinyin``    a full-pinyin key starts with the query (``getigongshang``), then contains it
 7. ``code``      the code starts with the query (codes are digits; they rarely compete)
 8. ``substring`` the name contains the query
 9. ``alias``     an alias contains the query, in Chinese, initials or pinyin (``yyzz``)

This is the issue's order (exact name, prefix, initials, substring) with the code right after the
exact name because a full code is as deliberate as a full name, and aliases split: a whole alias
is a deliberate choice, a piece of one is the weakest evidence. Pinyin never competes with a
Chinese query (a key is ascii), so initials-before-pinyin only orders ascii queries, where short
letter runs are far more often initials.

The full order of hits is lexicographic: allowed at the site's level first (when a level is
given; the others follow with ``allowed_here = False``), then the pass, then the site's usage
count (higher first), then the shorter name, then the code. With several terms the pass is the
best over the terms.

Speed (pure Python; `counter-tui bench search` measures it): entries are laid out once in that
final tie-break order (allowed first, usage, length, code) in a few flat strings, one per kind
of key, with every key preceded by a separator. A prefix is then a substring search for
separator + query, and every pass is a C-level ``str.find`` that yields entries already in rank
order, so a search stops as soon as it has ``limit`` hits. Several terms take the same road,
refusing entries that miss a term; when the terms rarely meet, the entries holding all of them
are listed directly instead (see `SearchIndex._all_terms`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: Precedes every key in the flat strings: a prefix search is a search for SEP + query. A control
#: character, removed from queries, so that no match can straddle two keys.
SEP = "\x1f"
_ASCII = re.compile("[!-~]")

MATCH_CLASSES = ("exact", "code", "prefix", "alias", "initials", "pinyin", "substring")

#: With several terms: entries refused (not matching every term) before the search switches
#: from scanning the passes to listing the entries that hold every term …
REFUSALS = 100
#: … and ranking them one by one when there are at most this many.
CLASSIFY_MAX = 300


@dataclass(frozen=True)
class SearchKeys:
    """The pinyin keys of one text: one string per reading (polyphones give several)."""

    #: Lower-case toneless pinyin without spaces: "getigongshanghu".
    full: tuple[str, ...]
    #: First letters of the same readings: "gtgsh".
    initials: tuple[str, ...]


def keys_to_json(keys: SearchKeys) -> dict[str, list[str]]:
    """The keys as JSON-serialisable lists (stored in the database at import)."""
    return {"full": list(keys.full), "initials": list(keys.initials)}


def keys_from_json(data: Mapping[str, Any]) -> SearchKeys:
    """The inverse of `keys_to_json`."""
    return SearchKeys(
        full=tuple(str(k) for k in data.get("full", ())),
        initials=tuple(str(k) for k in data.get("initials", ())),
    )


@dataclass(frozen=True)
class Entry:
    """A searchable item or bundle (一件事)."""

    code: str
    name: str
    aliases: tuple[str, ...]
    #: "item" or "bundle".
    kind: str
    department: str
    #: "county" / "town" / "village"; a bundle has the union of its items'.
    levels: tuple[str, ...]
    name_keys: SearchKeys
    #: One per alias, in the same order.
    alias_keys: tuple[SearchKeys, ...]


@dataclass(frozen=True)
class Hit:
    """One answer to a search, with why it was found and where it ranks."""

    entry: Entry
    #: One of "exact", "code", "prefix", "alias", "initials", "pinyin", "substring".
    match: str
    #: False when the site's level is not among the entry's levels (shown, but marked).
    allowed_here: bool
    #: (0 allowed / 1 not, pass number, rank by usage-length-code): lower is better.
    score: tuple[int, int, int]


def fold(text: str) -> str:
    """Text as it is compared: NFKC (full-width letters and digits become ascii), lower case,
    without whitespace (a query's spaces separate terms, so a name's spaces cannot be typed)."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def query_terms(query: str) -> list[str]:
    """The terms of a query: folded, split on whitespace, without separators or apostrophes
    (``xi'an`` is how pinyin is written to split syllables)."""
    folded = unicodedata.normalize("NFKC", query).lower()
    cleaned = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in folded)
    return [t for t in cleaned.replace("'", "").replace("’", "").split() if t]


# Kinds of pass: a lookup in a dict of whole strings, or a search in a flat string.
_EXACT, _PREFIX, _SUBSTRING = 0, 1, 2

# Flat strings ("fields") of the index.
_NAME, _CODE, _INITIALS, _FULL, _ALIAS, _ALIAS_INITIALS, _ALIAS_FULL = range(7)

#: (match class, field, kind) best first; a pass's number is its position.
_PASSES: tuple[tuple[str, int, int], ...] = (
    ("exact", _NAME, _EXACT),
    ("code", _CODE, _EXACT),
    ("prefix", _NAME, _PREFIX),
    ("alias", _ALIAS, _EXACT),
    ("initials", _INITIALS, _PREFIX),
    ("initials", _INITIALS, _SUBSTRING),
    ("pinyin", _FULL, _PREFIX),
    ("pinyin", _FULL, _SUBSTRING),
    ("code", _CODE, _PREFIX),
    ("substring", _NAME, _SUBSTRING),
    ("alias", _ALIAS, _SUBSTRING),
    ("alias", _ALIAS_INITIALS, _PREFIX),
    ("alias", _ALIAS_FULL, _PREFIX),
    ("alias", _ALIAS_INITIALS, _SUBSTRING),
    ("alias", _ALIAS_FULL, _SUBSTRING),
)


class _Field:
    """One flat string: every entry's keys of one kind, each after SEP, entries in rank order.
    `starts[i]` is where entry i's keys begin; `starts[n]` is the end."""

    __slots__ = ("exact", "starts", "text")

    def __init__(self, per_entry: list[tuple[str, ...]], *, exact: bool = False) -> None:
        blobs = ["".join(SEP + key for key in keys) for keys in per_entry]
        self.text = "".join(blobs)
        self.starts = array("q", [0])
        self.starts.extend(itertools.accumulate(len(blob) for blob in blobs))
        #: Whole key → entries having it, in rank order (for the fields of an _EXACT pass).
        self.exact: dict[str, list[int]] = {}
        for i, keys in enumerate(per_entry if exact else ()):
            for key in keys:
                self.exact.setdefault(key, []).append(i)

    def keys_of(self, i: int) -> str:
        """Entry i's keys, each after SEP."""
        return self.text[self.starts[i] : self.starts[i + 1]]


class _Sparse(Exception):
    """Several terms rarely match together: scanning the passes is the slow way."""


class SearchIndex:
    """Ranked search over a catalog's entries for one site (its level and its usage counts)."""

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        usage: Mapping[str, int] | None = None,
        site_level: str | None = None,
    ) -> None:
        counts = usage or {}
        rows = [(e, site_level is None or site_level in e.levels) for e in entries]
        rows.sort(key=lambda r: (not r[1], -counts.get(r[0].code, 0), len(r[0].name), r[0].code))
        self._entries = tuple(e for e, _ in rows)
        self._allowed = tuple(a for _, a in rows)
        #: Entries [0, split) are allowed at the site's level, the rest are not.
        self._split = sum(self._allowed)
        self._fields = (
            _Field([(fold(e.name),) for e in self._entries], exact=True),
            _Field([(e.code.lower(),) for e in self._entries], exact=True),
            _Field([_unique(k.lower() for k in e.name_keys.initials) for e in self._entries]),
            _Field([_unique(k.lower() for k in e.name_keys.full) for e in self._entries]),
            _Field([_unique(fold(a) for a in e.aliases) for e in self._entries], exact=True),
            _Field([_alias_keys(e, initials=True) for e in self._entries]),
            _Field([_alias_keys(e, initials=False) for e in self._entries]),
        )
        # Entry i's keys that a Chinese term can match (names, aliases), and those an ascii term
        # can (the rest, and a name or alias with ascii in it): a term that is not in them
        # cannot match entry i at all.
        names, aliases = self._fields[_NAME], self._fields[_ALIAS]
        self._chinese_keys = [names.keys_of(i) + aliases.keys_of(i) for i in range(len(self))]
        ascii_fields = [f for n, f in enumerate(self._fields) if n not in (_NAME, _ALIAS)]
        self._ascii_keys = [
            "".join(f.keys_of(i) for f in ascii_fields) + (text if _ASCII.search(text) else "")
            for i, text in enumerate(self._chinese_keys)
        ]

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The best `limit` hits for `query`, best first."""
        terms = list(dict.fromkeys(query_terms(query)))
        if not terms or limit <= 0:
            return []
        if len(terms) == 1:
            found = self._ranked(terms, limit, None)
        else:
            found = self._all_terms(terms, limit)
        return [self._hit(i, number) for i, number in found]

    def _ranked(
        self, terms: list[str], limit: int, accept: Callable[[int], bool] | None
    ) -> list[tuple[int, int]]:
        """(entry, pass) of the best `limit` entries that a term matches and `accept` accepts:
        group by group, pass by pass, each pass yielding entries in rank order."""
        found: list[tuple[int, int]] = []
        seen: set[int] = set()
        for lo, hi in ((0, self._split), (self._split, len(self._entries))):
            # Fields where a term does not occur in [lo, hi): their other passes are skipped.
            absent: dict[str, set[int]] = {term: set() for term in terms}
            for number, (_, field_no, kind) in enumerate(_PASSES):
                if len(found) >= limit or lo == hi:
                    break
                need = limit - len(found)
                batch = self._pass(field_no, kind, terms, lo, hi, seen, need, accept, absent)
                seen.update(batch)
                found += [(i, number) for i in batch]
        return found[:limit]

    def _pass(
        self,
        field_no: int,
        kind: int,
        terms: list[str],
        lo: int,
        hi: int,
        seen: set[int],
        need: int,
        accept: Callable[[int], bool] | None,
        absent: dict[str, set[int]],
    ) -> list[int]:
        """The first `need` entries of [lo, hi), in rank order, not yet `seen`, that some term
        matches at this pass and that `accept` accepts."""
        field = self._fields[field_no]
        batch: list[int] = []
        for term in terms:
            skip = seen.union(batch) if batch else seen
            if kind == _EXACT:
                matched = (i for i in field.exact.get(term, ()) if lo <= i < hi)
                got = [i for i in matched if i not in skip and (accept is None or accept(i))]
                batch += got[:need]
                continue
            if field_no in absent[term]:
                continue
            if field.text.find(term, field.starts[lo], field.starts[hi]) < 0:
                absent[term].add(field_no)  # not in this field at all: skip its other passes
                continue
            pattern = SEP + term if kind == _PREFIX else term
            batch += self._scan(field, pattern, lo, hi, skip, need, accept)
        return sorted(batch)[:need] if len(terms) > 1 else batch

    @staticmethod
    def _scan(
        field: _Field,
        pattern: str,
        lo: int,
        hi: int,
        skip: set[int],
        need: int,
        accept: Callable[[int], bool] | None,
    ) -> list[int]:
        """The first `need` entries of [lo, hi), in rank order, whose keys contain `pattern`,
        leaving out those in `skip` and those `accept` refuses."""
        text, starts = field.text, field.starts
        at, end = starts[lo], starts[hi]
        find = text.find
        got: list[int] = []
        while len(got) < need:
            position = find(pattern, at, end)
            if position < 0:
                break
            i = bisect_right(starts, position, lo, hi) - 1
            at = starts[i + 1]  # at most one hit per entry: go on with the next entry
            if i not in skip and (accept is None or accept(i)):
                got.append(i)
        return got

    # --- several terms ---------------------------------------------------------------------------

    def _all_terms(self, terms: list[str], limit: int) -> list[tuple[int, int]]:
        """Entries that every term matches, ranked by their best term.

        Usually the terms go together and the passes find enough entries at once. When they
        rarely do (or one matches nothing), refusing entries one by one would take long: after
        `REFUSALS` refusals, the entries holding every term are listed outright and, when they
        are few, ranked one by one."""
        possible = {
            term: [
                (number, field_no, kind)
                for number, (_, field_no, kind) in enumerate(_PASSES)
                # Pinyin and codes are ascii: a Chinese term can only match names and aliases.
                if term.isascii() or field_no in (_NAME, _ALIAS)
            ]
            for term in terms
        }
        keys_for = {t: self._ascii_keys if t.isascii() else self._chinese_keys for t in terms}
        known: dict[int, bool] = {}
        refusals = 0

        def matches_all(i: int) -> bool:
            answer = known.get(i)
            if answer is None:
                # The passes only for entries holding every term (a term can also sit in the
                # middle of a code, which no pass accepts).
                answer = all(t in keys_for[t][i] for t in terms) and all(
                    self._pass_of(i, t, possible[t]) is not None for t in terms
                )
                known[i] = answer
            return answer

        def accept_while_dense(i: int) -> bool:
            nonlocal refusals
            if matches_all(i):
                return True
            refusals += 1
            if refusals > REFUSALS:
                raise _Sparse
            return False

        try:
            return self._ranked(terms, limit, accept_while_dense)
        except _Sparse:
            pass
        # Every entry tested for the most telling term (a Chinese character tells about as
        # much as three letters), those holding it for the others.
        ordered = sorted(terms, key=lambda t: len(t) * (1 if t.isascii() else 3), reverse=True)
        lead = ordered[0]
        candidates = [i for i, keys in enumerate(keys_for[lead]) if lead in keys]
        for term in ordered[1:]:
            keys = keys_for[term]
            candidates = [i for i in candidates if term in keys[i]]
        if len(candidates) > CLASSIFY_MAX:
            within = set(candidates)
            return self._ranked(terms, limit, lambda i: i in within and matches_all(i))
        ranked: list[tuple[int, int, int]] = []
        for i in candidates:
            numbers = [self._pass_of(i, t, possible[t]) for t in terms]
            best = min((n for n in numbers if n is not None), default=None)
            if best is not None and None not in numbers:
                ranked.append((0 if i < self._split else 1, best, i))
        ranked.sort()
        return [(i, number) for _, number, i in ranked[:limit]]

    def _pass_of(self, i: int, term: str, passes: list[tuple[int, int, int]]) -> int | None:
        """The first of `passes` (number, field, kind) that entry i satisfies for `term`, or
        None (the term is only in the middle of the code, which no pass accepts)."""
        prefix = SEP + term
        keys_of: dict[int, str] = {}
        for number, field_no, kind in passes:
            keys = keys_of.get(field_no)
            if keys is None:
                keys = keys_of[field_no] = self._fields[field_no].keys_of(i)
            if kind == _EXACT:
                if prefix + SEP in keys + SEP:
                    return number
            elif (prefix if kind == _PREFIX else term) in keys:
                return number
        return None

    def _hit(self, i: int, number: int) -> Hit:
        allowed = self._allowed[i]
        return Hit(
            entry=self._entries[i],
            match=_PASSES[number][0],
            allowed_here=allowed,
            score=(0 if allowed else 1, number, i),
        )


def _unique(keys: Iterable[str]) -> tuple[str, ...]:
    """Keys without repeats or empties, first occurrence kept."""
    return tuple(dict.fromkeys(k for k in keys if k))


def _alias_keys(entry: Entry, *, initials: bool) -> tuple[str, ...]:
    return _unique(
        k.lower() for keys in entry.alias_keys for k in (keys.initials if initials else keys.full)
    )
