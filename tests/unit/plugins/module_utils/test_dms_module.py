# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The credentials chain and settings resolution of the shared base."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from harness import run_in_process
from ansible_collections.hwcloud.dms.plugins.module_utils import dms_module as dms_module_module
from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import (
    CREDENTIAL_ENV_SOURCES,
    DmsModule,
    SettingsResolver,
    drop_nulls,
    wait_timeout_problem,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import (
    ConfigurationError,
    DmsApiError,
    DmsTransportError,
)

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
    from ansible.module_utils import basic

    monkeypatch.setattr(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": dict(
        dict(region="cn-north-4", project_id="0123456789abcdef0123456789abcdef"), **options)}).encode("utf-8"))
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


def test_a_region_that_cannot_be_a_host_name_is_refused_naming_it(monkeypatch):
    # The region becomes part of the endpoint's host name: it is refused before any client exists.
    module = module_with(monkeypatch, dict(region="CN_North-4"), dict(HW_ACCESS_KEY="AK", HW_SECRET_KEY="SK"))
    with pytest.raises(ConfigurationError) as raised:
        module.api_client()
    assert str(raised.value) == ("region 'CN_North-4' must be lower-case letters, digits and '-', "
                                 "for example cn-north-4.")


@pytest.mark.parametrize("option", ["secret_key", "sk", "security_token"])
def test_a_secret_option_is_masked_when_the_run_fails_before_credentials_are_resolved(option):
    def main():
        DmsModule(argument_spec={}, connector=True).run(lambda module: None)

    # A bad connector_id fails before api_client() hides the secrets it resolves: the failure reports the
    # module arguments, in which only the option's own no_log masks the secret.
    secret = "OptionSecretNeverShown0001"
    result = run_in_process(main, dict(access_key="AK", connector_id="bad/id", **{option: secret}), {})
    assert result["msg"] == "connector_id 'bad/id' must be 1 to 64 letters, digits, '-' or '_'."
    assert secret not in json.dumps(result)
    # The access key id is no secret: it stays readable, to tell which key a run used.
    assert result["invocation"]["module_args"]["access_key"] == "AK"


def test_by_default_a_request_waits_30_seconds_and_a_read_is_tried_4_times(monkeypatch):
    import requests

    sent, pauses = [], []

    def silent(session, method, url, **options):
        sent.append((method, url, options["timeout"]))
        raise requests.exceptions.ReadTimeout("read timed out")

    # No network: every request times out at once, as against a service that never answers.
    monkeypatch.setattr(requests.Session, "request", silent)
    client = module_with(monkeypatch, {}, dict(HW_ACCESS_KEY="AK", HW_SECRET_KEY="SK")).api_client()
    monkeypatch.setattr(client, "_sleep", pauses.append)
    with pytest.raises(DmsTransportError) as raised:
        client.request("GET", "/v2/0123456789abcdef0123456789abcdef/instances")
    url = "https://dms.cn-north-4.myhuaweicloud.com/v2/0123456789abcdef0123456789abcdef/instances"
    assert sent == [("GET", url, 30)] * 4 and len(pauses) == 3
    assert str(raised.value) == "The service did not answer GET %s in 30 seconds (timeout). (4 attempts)" % url


def test_a_token_option_with_one_key_option_is_refused_as_a_token_without_its_keys():
    with pytest.raises(ConfigurationError, match="^security_token is set in the module options, but access_key "
                                                 "and secret_key are not"):
        resolver(dict(access_key="OPTAK", security_token="OPTTOKEN")).credentials()


def test_a_credentials_file_with_an_access_key_alone_is_not_used(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("[basic]\nak = FILEAK\n")
    with pytest.raises(ConfigurationError) as raised:
        resolver(environ={"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(path)}).credentials()
    assert str(raised.value) == (
        "No credentials found. Tried: module options access_key/secret_key; environment "
        "HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK; environment CLOUD_SDK_AK/CLOUD_SDK_SK; environment "
        "HW_ACCESS_KEY/HW_SECRET_KEY; credentials file %s (section [basic], keys ak/sk)." % path)


def test_the_sources_of_a_setting_are_named_with_the_file_only_where_it_can_hold_it(credentials_file):
    named = resolver(environ={"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(credentials_file)})
    assert named.sources_text("region") == "option region or environment HUAWEICLOUD_SDK_REGION / HW_REGION_NAME"
    assert named.sources_text("project_id") == (
        "option project_id or environment HUAWEICLOUD_SDK_PROJECT_ID / HW_PROJECT_ID or key project_id in %s"
        % credentials_file)


@pytest.mark.parametrize("value, problem", [
    (None, None), (1, None), (600, None),
    (0, "wait_timeout must be a positive number of seconds, got 0."),
    (-1, "wait_timeout must be a positive number of seconds, got -1."),
])
def test_wait_timeout_must_be_positive_where_it_is_set(value, problem):
    assert wait_timeout_problem(value) == problem


ENV_KEYS = dict(HW_ACCESS_KEY="AK", HW_SECRET_KEY="SK")


@pytest.mark.parametrize("options, message", [
    (dict(timeout=-5), "timeout must be a positive number of seconds, got -5."),
    (dict(timeout=0), "timeout must be a positive number of seconds, got 0."),
    (dict(retries=-1), "retries must be 0 to 10, got -1."),
    (dict(retries=11), "retries must be 0 to 10, got 11."),
    (dict(endpoint="ftp://dms.example"), "endpoint 'ftp://dms.example' must start with https:// or http://."),
    # The IAM endpoint is checked only where it is used: when the project id is to be looked up.
    (dict(project_id=None, iam_endpoint="ftp://iam.example"),
     "iam_endpoint 'ftp://iam.example' must start with https:// or http://."),
])
def test_unusable_settings_are_refused_before_any_client_exists(monkeypatch, options, message):
    with pytest.raises(ConfigurationError) as raised:
        module_with(monkeypatch, options, ENV_KEYS).api_client()
    assert str(raised.value) == message


def verify_sent(monkeypatch, client):
    """The ``verify`` the client's requests go out with (none goes anywhere: each times out at once)."""
    import requests

    sent = []

    def silent(session, method, url, **options):
        sent.append(options["verify"])
        raise requests.exceptions.ReadTimeout("read timed out")

    monkeypatch.setattr(requests.Session, "request", silent)
    with pytest.raises(DmsTransportError):
        client.request("GET", "/v2/p/instances")
    return sent


def test_certificates_are_verified_against_the_system_store_or_ca_path_or_not_at_all(monkeypatch, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    for options, verify in ((dict(retries=0), True), (dict(retries=0, ca_path=str(bundle)), str(bundle)),
                            (dict(retries=0, validate_certs=False), False)):
        module = module_with(monkeypatch, options, ENV_KEYS)
        assert verify_sent(monkeypatch, module.api_client()) == [verify], options


def test_a_ca_path_that_is_missing_or_unreadable_is_refused(monkeypatch, tmp_path):
    missing = tmp_path / "missing.pem"
    with pytest.raises(ConfigurationError) as raised:
        module_with(monkeypatch, dict(ca_path=str(missing)), ENV_KEYS).api_client()
    assert str(raised.value) == (
        "ca_path %s does not exist: point it at a PEM CA bundle file or directory." % missing)
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    # Stands in for a file the user may not read (a test run as root reads every file).
    monkeypatch.setattr(dms_module_module.os, "access", lambda path, mode: path != str(bundle))
    with pytest.raises(ConfigurationError) as raised:
        module_with(monkeypatch, dict(ca_path=str(bundle)), ENV_KEYS).api_client()
    assert str(raised.value) == "ca_path %s is not readable." % bundle
    # A directory of certificates is not opened here: only a file is checked for reading.
    assert module_with(monkeypatch, dict(ca_path=str(tmp_path)), ENV_KEYS).api_client() is not None


def run_logic(logic):
    """The result of a module whose logic is ``logic``, as Ansible prints it."""
    def main():
        DmsModule(argument_spec={}).run(logic)

    return run_in_process(main, dict(access_key="AK", secret_key="SK", region="cn-north-4"), {})


def test_a_run_that_changes_nothing_says_so():
    result = run_logic(lambda module: None)
    assert result["changed"] is False and "failed" not in result


def test_a_failure_reports_what_was_done_and_the_services_error_when_it_answered_one():
    def fails_after_acting(module):
        module.result.update(changed=True, task_id="t-1")
        error = DmsApiError(409, "DMS.00409000", "task is busy", "req-9")
        error.operation = "pause sink task 'orders'"
        raise error

    result = run_logic(fails_after_acting)
    assert result["failed"] is True and result["changed"] is True and result["task_id"] == "t-1"
    assert result["msg"] == ("pause sink task 'orders' failed: DMS API error 409 DMS.00409000: task is busy "
                             "(request id req-9)")
    assert result["error"] == dict(status=409, error_code="DMS.00409000", error_msg="task is busy", request_id="req-9")

    def refused(module):
        raise ConfigurationError("Set region or endpoint.")

    result = run_logic(refused)
    assert result["msg"] == "Set region or endpoint." and "error" not in result


@pytest.mark.parametrize("retries", [0, 10])
def test_retries_from_none_to_ten_are_accepted(monkeypatch, retries):
    assert module_with(monkeypatch, dict(retries=retries), ENV_KEYS).api_client() is not None


def test_without_region_the_error_names_where_region_endpoint_and_project_id_can_be_set(monkeypatch, tmp_path):
    environ = dict(ENV_KEYS, HUAWEICLOUD_SDK_CREDENTIALS_FILE=str(tmp_path / "none"))
    with pytest.raises(ConfigurationError) as raised:
        module_with(monkeypatch, dict(region=None), environ).api_client()
    assert str(raised.value) == ("Set region (option region or environment HUAWEICLOUD_SDK_REGION / HW_REGION_NAME) "
                                 "or endpoint (option endpoint or environment HUAWEICLOUD_DMS_ENDPOINT).")
    with pytest.raises(ConfigurationError) as raised:
        module_with(monkeypatch, dict(region=None, project_id=None, endpoint="https://dms.example"),
                    environ).api_client()
    assert str(raised.value) == (
        "Set project_id (option project_id or environment HUAWEICLOUD_SDK_PROJECT_ID / HW_PROJECT_ID or key project_id "
        "in %s), or region so that it can be looked up in IAM (option region or environment HUAWEICLOUD_SDK_REGION / "
        "HW_REGION_NAME)." % (tmp_path / "none"))


def test_an_endpoint_and_a_project_id_need_no_region(monkeypatch):
    client = module_with(monkeypatch, dict(region=None, endpoint="https://dms.example:8443"), ENV_KEYS).api_client()
    assert client.base_url == "https://dms.example:8443"


def test_without_a_project_id_it_is_looked_up_in_iam_by_region(monkeypatch, emulator):
    emulator.reset()
    environ = dict(HW_ACCESS_KEY=emulator.access_key, HW_SECRET_KEY=emulator.secret_key,
                   HUAWEICLOUD_SDK_CREDENTIALS_FILE="/dev/null")
    module = module_with(monkeypatch, dict(project_id=None, endpoint=emulator.url, iam_endpoint=emulator.url), environ)
    assert module.api_client().base_url == emulator.url and module.project_id == emulator.project_id
    assert [entry["path"] for entry in emulator.requests()] == ["/v3/projects"]
