"""Fixtures for vault and services tests: a fresh vault with an admin session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lantern.services.session import VaultSession
from lantern.vault.store import vault_path

ADMIN_PASS = "admin passphrase 1"


@pytest.fixture
def data_dir() -> Path:
    return Path(os.environ["LANTERN_DATA_DIR"])


@pytest.fixture
def vault_file(data_dir) -> Path:
    return vault_path(data_dir)


@pytest.fixture
def created(data_dir):
    session, recovery_key = VaultSession.create(
        data_dir, clinic_name="Test Clinic", admin_username="admin", passphrase=ADMIN_PASS)
    yield session, recovery_key
    session.lock()


@pytest.fixture
def session(created):
    return created[0]


@pytest.fixture
def unlock(data_dir):
    """Unlock the test vault as ``user`` (admin by default) without real delays."""
    def _unlock(user: str = "admin", passphrase: str = ADMIN_PASS):
        return VaultSession.unlock(data_dir, username=user, passphrase=passphrase,
                                   sleep=lambda s: None)
    return _unlock
