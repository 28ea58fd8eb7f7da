"""A scene's id and its edit token: random, URL-safe, and the token kept only as a hash.

An id is 12 characters of `secrets.token_urlsafe` (72 random bits): short enough for a link, too many to guess
(finding one scene among a billion takes some 2^42 tries). The edit token is 43 characters (256 bits); whoever
holds it owns the scene. The store keeps its SHA-256 only — a plain hash suffices, as the token is random and
long, not a password a person chose — and checks a token against it in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ID_BYTES = 9  # 72 bits → 12 base64url characters, no padding
TOKEN_BYTES = 32  # 256 bits → 43 characters
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{12}")


def new_id() -> str:
    """A fresh scene id: 12 URL-safe characters."""
    return secrets.token_urlsafe(ID_BYTES)


def is_id(text: str) -> bool:
    """Whether `text` is shaped like a scene id (it may still name no scene)."""
    return ID_PATTERN.fullmatch(text) is not None


def new_token() -> str:
    """A fresh edit token: 43 URL-safe characters."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """What the store keeps of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Whether `token` is the one whose hash the store keeps, compared in constant time."""
    return hmac.compare_digest(hash_token(token), stored_hash)
