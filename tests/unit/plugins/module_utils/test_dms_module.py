# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The credentials chain and settings resolution of the shared base."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import (
    CREDENTIAL_ENV_SOURCES,
    SettingsResolver,
    drop_nulls,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import ConfigurationError

NO_OPTIONS = dict(access_key=None, secret_key=None, security_token=None, region=None,
                  project_id=None, endpoint=None, iam_endpoint=None)


@pytest.fixture
def credentials_file(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("[basic]\nak = FILEAK\nsk = FILESK\nsecurity_token = FILETOKEN\n"
                    "project_id = file-project\niam_endpoint = https://iam.file.example\n")
    return path


def resolver(options=None, environ=None):
    params = dict(NO_OPTIONS, **(options or {}))
    return SettingsResolver(params, dict(environ or {}))


def test_values_of_the_file_are_taken_without_surrounding_blanks(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("[basic]\nak =  FILEAK  \nsk = FILESK\t\nproject_id = file-project \n")
    environ = {"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(path)}
    assert resolver(environ=environ).credentials() == ("FILEAK", "FILESK", None)
    assert resolver(environ=environ).setting("project_id") == "file-project"


def test_module_options_come_first(credentials_file):
    environ = {"HUAWEICLOUD_SDK_AK": "ENVAK", "HUAWEICLOUD_SDK_SK": "ENVSK",
               "HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(credentials_file)}
    found = resolver(dict(access_key="OPTAK", secret_key="OPTSK"), environ).credentials()
    assert found == ("OPTAK", "OPTSK", None)


@pytest.mark.parametrize("ak_name, sk_name, token_name", CREDENTIAL_ENV_SOURCES)
def test_each_environment_family(ak_name, sk_name, token_name):
    environ = {ak_name: "ENVAK", sk_name: "ENVSK"}
    if token_name:
        environ[token_name] = "ENVTOKEN"
    assert resolver(environ=environ).credentials() == ("ENVAK", "ENVSK", "ENVTOKEN" if token_name else None)


def test_environment_families_in_order_and_never_mixed():
    environ = {"HUAWEICLOUD_SDK_AK": "HWCAK",  # no SK: this family is skipped as a whole
               "CLOUD_SDK_AK": "CLOUDAK", "CLOUD_SDK_SK": "CLOUDSK",
               "HW_ACCESS_KEY": "HWAK", "HW_SECRET_KEY": "HWSK", "HW_SECURITY_TOKEN": "HWTOKEN"}
    # The token of a later family is not combined with the keys of the first complete one.
    assert resolver(environ=environ).credentials() == ("CLOUDAK", "CLOUDSK", None)


def test_the_file_comes_after_the_environment(credentials_file):
    environ = {"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(credentials_file)}
    assert resolver(environ=environ).credentials() == ("FILEAK", "FILESK", "FILETOKEN")
    environ.update(HW_ACCESS_KEY="HWAK", HW_SECRET_KEY="HWSK")
    assert resolver(environ=environ).credentials() == ("HWAK", "HWSK", None)


def test_the_default_file_is_in_the_home_directory(tmp_path, monkeypatch):
    (tmp_path / ".huaweicloud").mkdir()
    (tmp_path / ".huaweicloud" / "credentials").write_text("[basic]\nak = HOMEAK\nsk = HOMESK\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolver().credentials() == ("HOMEAK", "HOMESK", None)


def test_an_access_key_option_alone_is_refused():
    with pytest.raises(ConfigurationError, match="only access_key is set"):
        resolver(dict(access_key="OPTAK"), {"HW_ACCESS_KEY": "A", "HW_SECRET_KEY": "S"}).credentials()


def test_the_error_lists_every_source_tried(tmp_path):
    missing = tmp_path / "nothing-here"
    with pytest.raises(ConfigurationError) as raised:
        resolver(environ={"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(missing)}).credentials()
    message = str(raised.value)
    for name in ("module options access_key/secret_key", "HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK",
                 "CLOUD_SDK_AK/CLOUD_SDK_SK", "HW_ACCESS_KEY/HW_SECRET_KEY", str(missing)):
        assert name in message


FILE_SECRET = "FileSecretNeverEchoed0001"


@pytest.mark.parametrize("content, problem", [
    ("sk = %s\n[basic]\nak = A\n" % FILE_SECRET, "line 1 comes before any [section] header"),
    ("[basic]\nak = A\nsk %s\n" % FILE_SECRET, "line 3 is not a 'key = value' line"),
    ("[basic]\nak = A\nsk = %s\nsk = %s\n" % (FILE_SECRET, FILE_SECRET), "line 4 repeats key sk of section [basic]"),
    ("[basic]\nak = A\n[basic]\nsk = %s\n" % FILE_SECRET, "line 3 repeats section [basic]"),
])
def test_a_broken_file_is_reported_by_line_number_never_by_its_text(tmp_path, content, problem):
    path = tmp_path / "credentials"
    path.write_text(content)
    with pytest.raises(ConfigurationError) as raised:
        resolver(environ={"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(path)}).credentials()
    assert str(raised.value) == "The credentials file %s is not valid INI: %s." % (path, problem)
    assert FILE_SECRET not in str(raised.value)


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "credentials"
    path.write_bytes(b"[basic]\nak = A\nsk = caf\xe9\n")
    with pytest.raises(ConfigurationError) as raised:
        resolver(environ={"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(path)}).credentials()
    assert str(raised.value) == ("The credentials file %s is not UTF-8 text (byte 23 cannot be decoded): "
                                 "save it as UTF-8." % path)


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "credentials"
    path.write_bytes(b"\xef\xbb\xbf[basic]\nak = BOMAK\nsk = BOMSK\n")
    assert resolver(environ={"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(path)}).credentials() == ("BOMAK", "BOMSK", None)


def test_a_token_option_without_key_options_is_refused(credentials_file):
    environ = {"HUAWEICLOUD_SDK_AK": "ENVAK", "HUAWEICLOUD_SDK_SK": "ENVSK"}
    with pytest.raises(ConfigurationError, match="^security_token is set in the module options, but access_key "
                                                 "and secret_key are not"):
        resolver(dict(security_token="OPTTOKEN"), environ).credentials()
    assert resolver(dict(access_key="A", secret_key="S", security_token="T"), environ).credentials() == ("A", "S", "T")


def test_explicit_nulls_are_not_set_in_suboptions_and_aliases_too():
    spec = dict(wait=dict(type="bool", default=False), name=dict(type="str", aliases=["task"]),
                descriptor=dict(type="dict", options=dict(
                    record_delimiter=dict(type="str", default="\n"), obs_path=dict(type="str"))),
                items=dict(type="list", elements="dict", options=dict(mode=dict(type="str", default="a"))))
    params = dict(wait=None, task=None, descriptor=dict(record_delimiter=None, obs_path="p"),
                  items=[dict(mode=None), dict(mode="b")], _ansible_check_mode=None)
    drop_nulls(spec, params)
    assert params == dict(descriptor=dict(obs_path="p"), items=[dict(), dict(mode="b")], _ansible_check_mode=None)
    given = dict(wait=True, name="n", descriptor=dict(record_delimiter=""))
    drop_nulls(spec, given)
    assert given == dict(wait=True, name="n", descriptor=dict(record_delimiter=""))


def module_with(monkeypatch, options, environ):
    """A ``DmsModule`` built as a module process builds it, with ``options`` and only ``environ``."""
    import json

    from ansible.module_utils import basic

    from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import DmsModule

    monkeypatch.setattr(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": dict(
        options, region="cn-north-4", project_id="0123456789abcdef0123456789abcdef")}).encode("utf-8"))
    if hasattr(basic, "_ANSIBLE_PROFILE"):
        monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy")
    monkeypatch.setattr("os.environ", dict(environ))
    return DmsModule(argument_spec={}, supports_check_mode=True)


SECRET_SOURCES = [(dict(access_key="OPTAK", secret_key="OPT-SECRET", security_token="OPT-TOKEN"), {})] + [
    ({}, dict({ak: "ENVAK", sk: "ENV-SECRET-%s" % number}, **({token: "ENV-TOKEN-%s" % number} if token else {})))
    for number, (ak, sk, token) in enumerate(CREDENTIAL_ENV_SOURCES)]


@pytest.mark.parametrize("options, environ", SECRET_SOURCES + [({}, "file")],
                         ids=["options", "HUAWEICLOUD_SDK", "CLOUD_SDK", "HW", "credentials file"])
def test_every_secret_source_is_hidden_before_any_output(monkeypatch, credentials_file, options, environ):
    if environ == "file":
        environ = {"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(credentials_file)}
        secrets = {"FILESK", "FILETOKEN"}
    else:
        environ = dict(environ, HUAWEICLOUD_SDK_CREDENTIALS_FILE="/dev/null")
        secrets = set(value for name, value in dict(options, **environ).items()
                      if "SECRET" in value or "TOKEN" in value)
    module = module_with(monkeypatch, options, environ)
    module.api_client()
    assert secrets and secrets <= module.module.no_log_values
