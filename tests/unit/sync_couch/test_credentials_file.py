"""The sync credentials file: read, refused when unsafe or malformed, password never shown."""

from __future__ import annotations

import pytest

from lantern.services.sync.couch_credentials import CredentialsError, load_account

SECRET = "s3cret-Password-42"


def write(path, text, mode=0o600):
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_a_good_file_gives_the_account_and_server_flag_wins(tmp_path):
    (tmp_path / "ca.crt").write_text("-----BEGIN CERTIFICATE-----\n")
    f = write(tmp_path / "sync.toml",
              f'database = "clinic-1"\nuser = "device-a"\npassword = "{SECRET}"\n'
              'ca_file = "ca.crt"\nurl = "https://sync.district.example/"\n')
    account = load_account(f)
    assert (account.url, account.database, account.username, account.password) == (
        "https://sync.district.example", "clinic-1", "device-a", SECRET)
    assert account.ca_file == str((tmp_path / "ca.crt").resolve())
    assert SECRET not in repr(account)
    assert load_account(f, server_url="https://other.example").url == "https://other.example"


@pytest.mark.parametrize(("text", "mode", "words"), [
    (f'database = "c"\nuser = "u"\npassword = "{SECRET}"\n', 0o644, "chmod 600"),
    (f'database = "c"\nuser = "u"\npassword = "{SECRET}\n', 0o600, "not valid TOML"),
    (f'database = "c"\npassword = "{SECRET}"\nurl = "https://x.example"\n', 0o600, "'user'"),
    (f'database = "c"\nuser = "u"\npassword = "{SECRET}"\n', 0o600, "--server URL"),
    (f'database = "c"\nuser = "u"\npassword = "{SECRET}"\ntoken = 1\n', 0o600, "unknown keys: token"),
    (f'database = "c"\nuser = "u"\npassword = "{SECRET}"\nca_file = "no.crt"\n'
     'url = "https://x.example"\n', 0o600, "certificate authority file"),
])
def test_bad_files_are_refused_with_one_clear_line(tmp_path, text, mode, words):
    f = write(tmp_path / "sync.toml", text, mode)
    with pytest.raises(CredentialsError) as err:
        load_account(f)
    message = str(err.value)
    assert words in message and SECRET not in message and "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(CredentialsError, match="No sync credentials file"):
        load_account(tmp_path / "absent.toml")
