"""Scene ids and edit tokens: URL-safe, too long to guess, uniformly random; tokens kept as hashes."""

from __future__ import annotations

import hashlib
import math
import string
from collections import Counter

from app.store import keys

ALPHABET = string.ascii_letters + string.digits + "-_"


def test_an_id_is_twelve_url_safe_characters_of_72_bits() -> None:
    scene_id = keys.new_id()
    assert len(scene_id) == 12 and set(scene_id) <= set(ALPHABET) and keys.is_id(scene_id)
    assert len(scene_id) * math.log2(len(ALPHABET)) == 72 >= 64


def test_is_id_refuses_anything_else() -> None:
    for text in [
        "",
        "short",
        "AAAAAAAAAAAAA",
        "AAAAAAAAAAA=",
        "AAAAAA/AAAAA",
        "AAAAAAAAAAA\n",
        "ÄAAAAAAAAAAA",
    ]:
        assert not keys.is_id(text), text


def test_ids_are_uniform_over_the_alphabet_in_every_position() -> None:
    """20 000 ids: no repeat; each of the 64 characters equally likely in each of the 12 positions (a χ² test
    with 63 degrees of freedom; the bound is 6 standard deviations above its mean, p < 1e-6)."""
    ids = [keys.new_id() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    expected = len(ids) / len(ALPHABET)
    bound = 63 + 6 * math.sqrt(2 * 63)
    for position in range(12):
        counts = Counter(scene_id[position] for scene_id in ids)
        chi2 = sum((counts.get(c, 0) - expected) ** 2 / expected for c in ALPHABET)
        assert chi2 < bound, (position, chi2)


def test_an_edit_token_has_256_bits_and_is_kept_as_its_sha256() -> None:
    token = keys.new_token()
    assert len(token) == 43 and set(token) <= set(ALPHABET)
    assert len({keys.new_token() for _ in range(1000)}) == 1000
    stored = keys.hash_token(token)
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored
    assert keys.token_matches(token, stored)
    assert not keys.token_matches(token[:-1], stored)
    assert not keys.token_matches(keys.new_token(), stored)
    assert not keys.token_matches(stored, stored)  # the hash itself opens nothing
