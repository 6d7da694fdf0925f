"""Encrypted backups (R23): AES-256-GCM in framed chunks, so a database of a
gigabyte is never whole in memory, and nothing can be cut, reordered or
altered unnoticed.

A sealed file is a header (magic, mode, salt, key id) then chunks. Each
chunk is a 4-byte field (its plain length, the top bit set on the last
chunk), a 12-byte random nonce and the ciphertext with its 16-byte tag. The
header, the chunk's index and its last-chunk bit are the associated data, so
a chunk moved, dropped or cut off, or a file ending before its last chunk,
fails to open. The key is the data folder's backup key from the secret store
(mode K, named in the header by the first bytes of its hash), or one derived
from a passphrase with scrypt and a salt of the file's own (mode P).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import struct
from pathlib import Path
from typing import BinaryIO, TypedDict

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desktop_app.errors import OperatorError
from desktop_app.services.secrets import SecretName, SecretStore

log = logging.getLogger("plugin_monitor.backup")

MAGIC = b"PMBACKUP1"
KEY_MODE, PASSPHRASE_MODE = b"K", b"P"
SALT_BYTES, KEY_ID_BYTES, NONCE_BYTES, TAG_BYTES = 16, 8, 12, 16
HEADER_BYTES = len(MAGIC) + 1 + SALT_BYTES + KEY_ID_BYTES
CHUNK = 1 << 20  # 1 MiB of plain text a chunk
LAST = 0x8000_0000
# scrypt at 2^15 (32 MiB, about 0.1 s here): costly to guess, quick to open.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 15, 8, 1


class Seal(TypedDict, total=False):
    """What a backup is sealed or opened with: the key, or a passphrase."""

    key: str
    passphrase: str


def folder_opener(store: SecretStore) -> Seal:
    """The data folder's backup passphrase when one is set (`backup
    set-passphrase`), else its backup key; empty when it has neither."""
    passphrase = store.get(SecretName.BACKUP_PASSPHRASE)
    if passphrase:
        return {"passphrase": passphrase}
    key = store.get(SecretName.BACKUP_KEY)
    return {"key": key} if key else {}


def folder_seal(store: SecretStore) -> Seal:
    """What the folder's backups are sealed with: `folder_opener`'s, or a
    backup key made now and kept in the secret store."""
    found = folder_opener(store)
    if found:
        return found
    key = new_key()
    store.set(SecretName.BACKUP_KEY, key)
    log.warning(
        "made a backup key, kept in %s: export it now with plugin-monitor backup export-key "
        "and keep it off this machine; a key kept only here dies with it",
        store.location,
    )
    return {"key": key}


def new_key() -> str:
    """A new backup key, as the secret store keeps it and export-key prints it."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def key_bytes(text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise OperatorError("not a backup key (export-key prints one: 44 characters)")
    return raw


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:KEY_ID_BYTES]


def _from_passphrase(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        passphrase.encode(),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=64 << 20,
        dklen=32,
    )


def seal(
    plain: Path, sealed: Path, *, key: str | None = None, passphrase: str | None = None
) -> None:
    """Encrypt `plain` into `sealed` with the backup key or a passphrase."""
    if passphrase is not None:
        salt = os.urandom(SALT_BYTES)
        header = MAGIC + PASSPHRASE_MODE + salt + bytes(KEY_ID_BYTES)
        secret = _from_passphrase(passphrase, salt)
    else:
        assert key is not None, "a key or a passphrase"
        secret = key_bytes(key)
        header = MAGIC + KEY_MODE + bytes(SALT_BYTES) + _key_id(secret)
    cipher = AESGCM(secret)
    with plain.open("rb") as source, sealed.open("wb") as target:
        target.write(header)
        index, chunk = 0, source.read(CHUNK)
        while True:
            following = source.read(CHUNK)
            field = len(chunk) | (0 if following else LAST)
            nonce = os.urandom(NONCE_BYTES)
            aad = header + struct.pack(">QI", index, field)
            target.write(struct.pack(">I", field) + nonce + cipher.encrypt(nonce, chunk, aad))
            if not following:
                return
            index, chunk = index + 1, following


def is_sealed(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(MAGIC)) == MAGIC


def needs_passphrase(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(MAGIC) + 1)[len(MAGIC) :] == PASSPHRASE_MODE


def unseal(
    sealed: Path, plain: Path, *, key: str | None = None, passphrase: str | None = None
) -> None:
    """Decrypt `sealed` into `plain`; OperatorError when the key is not the
    one it was sealed with or the file was altered (then `plain` is removed)."""
    try:
        with sealed.open("rb") as source, plain.open("wb") as target:
            header = source.read(HEADER_BYTES)
            cipher = AESGCM(_secret_for(header, sealed, key, passphrase))
            _unseal_chunks(source, target, header, cipher, sealed)
    except BaseException:
        plain.unlink(missing_ok=True)
        raise


def _secret_for(header: bytes, sealed: Path, key: str | None, passphrase: str | None) -> bytes:
    if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
        raise OperatorError(f"{sealed}: not an encrypted Plugin Monitor backup")
    mode = header[len(MAGIC) : len(MAGIC) + 1]
    salt = header[len(MAGIC) + 1 : len(MAGIC) + 1 + SALT_BYTES]
    if mode == PASSPHRASE_MODE:
        if passphrase is None:
            raise OperatorError(
                f"{sealed}: encrypted with a passphrase; give it (--passphrase-file)"
            )
        return _from_passphrase(passphrase, salt)
    if key is None:
        raise OperatorError(
            f"{sealed}: encrypted with a backup key this data folder does not hold; give the "
            "exported key (--key-file)"
        )
    secret = key_bytes(key)
    if _key_id(secret) != header[-KEY_ID_BYTES:]:
        raise OperatorError(f"{sealed}: encrypted with another backup key than the one given")
    return secret


def _unseal_chunks(
    source: BinaryIO, target: BinaryIO, header: bytes, cipher: AESGCM, sealed: Path
) -> None:
    index = 0
    while True:
        framing = source.read(4 + NONCE_BYTES)
        if len(framing) < 4 + NONCE_BYTES:
            raise OperatorError(f"{sealed}: cut short (its last part is missing); nothing restored")
        (field,) = struct.unpack(">I", framing[:4])
        length = field & ~LAST
        body = source.read(length + TAG_BYTES)
        aad = header + struct.pack(">QI", index, field)
        try:
            target.write(cipher.decrypt(framing[4:], body, aad))
        except InvalidTag:
            raise OperatorError(
                f"{sealed}: altered or damaged (part {index + 1} fails its check), or the "
                "passphrase is wrong; nothing restored"
            ) from None
        if field & LAST:
            if source.read(1):
                raise OperatorError(f"{sealed}: has data after its end; nothing restored")
            return
        index += 1
