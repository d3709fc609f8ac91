# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared base of every hwcloud.dms module: auth options, credentials chain, client, errors.

Modules build a ``DmsModule`` instead of an ``AnsibleModule``; it adds the options
documented in the ``hwcloud.dms.dms`` doc fragment, resolves them (module options,
then environment variables, then the Huawei SDK credentials file), refuses
incomplete settings before any request, and reports API errors one way.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.hwcloud.dms.plugins.module_utils.client import (
    REQUESTS_IMPORT_ERROR,
    ApiClient,
    endpoint_problem,
    lookup_project_id,
    service_endpoint,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import ConfigurationError, DmsError
from ansible_collections.hwcloud.dms.plugins.module_utils.kafka_instance import connector_id_of_instance

DMS_COMMON_ARGUMENT_SPEC = dict(
    access_key=dict(type="str", aliases=["ak"], no_log=False),
    secret_key=dict(type="str", aliases=["sk"], no_log=True),
    security_token=dict(type="str", no_log=True),
    region=dict(type="str"),
    project_id=dict(type="str"),
    endpoint=dict(type="str"),
    iam_endpoint=dict(type="str"),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="int", default=30),
    retries=dict(type="int", default=3),
)

# Each environment family pairs its own keys: an access key is never taken from one
# source and its secret key or token from another.
CREDENTIAL_ENV_SOURCES = (
    ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN"),
    ("CLOUD_SDK_AK", "CLOUD_SDK_SK", None),
    ("HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN"),
)

# Settings resolved each on its own: the option, then these variables, then the file key.
SETTING_SOURCES = dict(
    region=(("HUAWEICLOUD_SDK_REGION", "HW_REGION_NAME"), None),
    project_id=(("HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID"), "project_id"),
    endpoint=(("HUAWEICLOUD_DMS_ENDPOINT",), None),
    iam_endpoint=(("HUAWEICLOUD_SDK_IAM_ENDPOINT",), "iam_endpoint"),
)

# The connector options (doc fragment hwcloud.dms.dms.connector): DmsModule(..., connector=True).
CONNECTOR_ARGUMENT_SPEC = dict(
    connector_id=dict(type="str"),
    instance_id=dict(type="str"),
)
# Ids go into URL paths unencoded, so only the characters real ids use are accepted.
RESOURCE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Region names become part of endpoint host names, so nothing else may pass.
REGION_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CREDENTIALS_FILE_ENV = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
DEFAULT_CREDENTIALS_FILE = "~/.huaweicloud/credentials"
CREDENTIALS_FILE_SECTION = "basic"


def credentials_file_path(environ):
    """Where the Huawei SDK credentials file is looked for."""
    return os.path.expanduser(environ.get(CREDENTIALS_FILE_ENV) or DEFAULT_CREDENTIALS_FILE)


def _ini_problem(error):
    """What is wrong in the credentials file, by line number; never a line's text (it may hold a key)."""
    import configparser

    if isinstance(error, configparser.MissingSectionHeaderError):
        return "line %s comes before any [section] header" % error.lineno
    if isinstance(error, configparser.DuplicateSectionError):
        return "line %s repeats section [%s]" % (error.lineno, error.section)
    if isinstance(error, configparser.DuplicateOptionError):
        return "line %s repeats key %s of section [%s]" % (error.lineno, error.option, error.section)
    if isinstance(error, configparser.ParsingError):
        numbers = ", ".join(str(number) for number, _line in error.errors)
        return "line %s is not a 'key = value' line" % numbers
    return "it cannot be read (%s)" % type(error).__name__


def read_credentials_file(path):
    """The ``[basic]`` section of the credentials file as a dict; empty when there is none."""
    import configparser  # only runs when options and environment did not settle everything

    parser = configparser.ConfigParser(interpolation=None)
    try:
        # utf-8-sig: files saved by Windows editors start with a byte-order mark.
        found = parser.read(path, encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigurationError("The credentials file %s is not UTF-8 text (byte %s cannot be decoded): "
                                 "save it as UTF-8." % (path, error.start))
    except configparser.Error as error:
        raise ConfigurationError("The credentials file %s is not valid INI: %s." % (path, _ini_problem(error)))
    if not found or not parser.has_section(CREDENTIALS_FILE_SECTION):
        return {}
    # configparser strips the blanks around values; an empty value counts as not set.
    return dict((key, value) for key, value in parser.items(CREDENTIALS_FILE_SECTION) if value)


class SettingsResolver:
    """Resolves credentials and settings from options, environment and credentials file."""

    def __init__(self, params, environ):
        self._params = params
        self._environ = environ
        self._file_values = None
        self.file_path = credentials_file_path(environ)

    def _env(self, name):
        return self._environ.get(name) or None

    def file_values(self):
        """The credentials file's values, read once and only when needed."""
        if self._file_values is None:
            self._file_values = read_credentials_file(self.file_path)
        return self._file_values

    def credentials(self):
        """``(access_key, secret_key, security_token)`` from the first source that has both keys."""
        access_key, secret_key = self._params.get("access_key"), self._params.get("secret_key")
        if self._params.get("security_token") and not (access_key and secret_key):
            # A token only works with the keys it was issued with; pairing it with keys from elsewhere fails
            # at the gateway with a message that does not say why.
            raise ConfigurationError(
                "security_token is set in the module options, but access_key and secret_key are not: a token "
                "belongs to the temporary keys it was issued with. Set all three as options, or set the token "
                "where the keys come from (HUAWEICLOUD_SDK_SECURITY_TOKEN, HW_SECURITY_TOKEN, or security_token "
                "in the credentials file).")
        if access_key or secret_key:
            if not (access_key and secret_key):
                raise ConfigurationError(
                    "Set access_key and secret_key together in the module options: only %s is set."
                    % ("access_key" if access_key else "secret_key"))
            return access_key, secret_key, self._params.get("security_token")
        tried = ["module options access_key/secret_key"]
        for ak_name, sk_name, token_name in CREDENTIAL_ENV_SOURCES:
            access_key, secret_key = self._env(ak_name), self._env(sk_name)
            if access_key and secret_key:
                token = self._env(token_name) if token_name else None
                return access_key, secret_key, token
            tried.append("environment %s/%s" % (ak_name, sk_name))
        values = self.file_values()
        if values.get("ak") and values.get("sk"):
            return values["ak"], values["sk"], values.get("security_token")
        tried.append("credentials file %s (section [%s], keys ak/sk)" % (self.file_path, CREDENTIALS_FILE_SECTION))
        raise ConfigurationError("No credentials found. Tried: %s." % "; ".join(tried))

    def setting(self, name):
        """The value of ``name`` from its option, its environment variables or the file, else ``None``."""
        if self._params.get(name):
            return self._params[name]
        env_names, file_key = SETTING_SOURCES[name]
        for env_name in env_names:
            if self._env(env_name):
                return self._env(env_name)
        if file_key:
            return self.file_values().get(file_key)
        return None

    def sources_text(self, name):
        """How a user can set ``name``, for error messages."""
        env_names, file_key = SETTING_SOURCES[name]
        text = "option %s or environment %s" % (name, " / ".join(env_names))
        if file_key:
            text += " or key %s in %s" % (file_key, self.file_path)
        return text


def resource_id_problem(option, value):
    """Why ``value`` is not a usable id for ``option``, or ``None``."""
    if value is not None and not RESOURCE_ID_PATTERN.match(value):
        return "%s %r must be 1 to 64 letters, digits, '-' or '_'." % (option, value)
    return None


def wait_timeout_problem(value):
    """Why ``value`` is no usable ``wait_timeout``, or ``None`` (not set is fine where there is a default)."""
    if value is not None and value <= 0:
        return "wait_timeout must be a positive number of seconds, got %s." % value
    return None


def drop_nulls(spec, params):
    """Treat every option set to an explicit ``null`` as not set, in suboptions too.

    Templated playbooks produce nulls (``record_delimiter:`` with nothing after it, ``connector_id:
    "{{ none }}"``). Ansible would convert them (``None`` to ``"None"``), refuse them or count them as
    given (``mutually_exclusive``), depending on its version; not set is what the user meant, so
    Ansible then applies the option's default. This runs on the raw parameters, before validation.
    """
    for name, option in spec.items():
        for key in [name] + list(option.get("aliases") or []):
            if key in params and params[key] is None:
                del params[key]
        value = params.get(name)
        if option.get("options") and isinstance(value, dict):
            drop_nulls(option["options"], value)
        elif option.get("options") and isinstance(value, list):
            for element in value:
                if isinstance(element, dict):
                    drop_nulls(option["options"], element)


class _AnsibleModule(AnsibleModule):
    """``AnsibleModule`` that reads an explicit ``null`` as not set, on every ansible-core."""

    def _load_params(self):
        super(_AnsibleModule, self)._load_params()
        drop_nulls(self.argument_spec, self.params)


class DmsModule:
    """An ``AnsibleModule`` with the shared options, their resolution and the one failure path.

    A module builds one, then calls ``run(logic, input_problems)``: every problem of the options is
    reported before any request; ``logic(module)`` raises a ``DmsError`` for anything that goes wrong,
    and may gather its result in ``module.result`` as it goes, so a failure still reports what was
    done (``changed``, the task concerned). ``connector=True`` adds the connector options
    (``connector_id`` or ``instance_id``; where both are set, as ``module_defaults`` for the whole action group gives
    ``instance_id`` to a task that sets ``connector_id``, the more specific ``connector_id`` is used).
    """

    def __init__(self, argument_spec, connector=False, **kwargs):
        spec = dict(DMS_COMMON_ARGUMENT_SPEC)
        spec.update(argument_spec)
        self.connector = connector
        if connector:
            spec.update(CONNECTOR_ARGUMENT_SPEC)
            pair = ("connector_id", "instance_id")
            kwargs["required_one_of"] = list(kwargs.get("required_one_of", [])) + [pair]
        self.module = _AnsibleModule(argument_spec=spec, **kwargs)
        if REQUESTS_IMPORT_ERROR is not None:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.diff_mode = self.module._diff
        self.project_id = None
        self.result = dict(changed=False)

    def warn(self, message):
        self.module.warn(message)

    def input_problems(self):
        """Problems of the shared options that the argument spec cannot express."""
        if not self.connector:
            return []
        return [problem for problem in (resource_id_problem(option, self.params[option])
                                        for option in CONNECTOR_ARGUMENT_SPEC) if problem]

    def run(self, logic, input_problems=None):
        """Check the options, run ``logic(self)`` and exit with ``self.result``; any ``DmsError`` fails.

        ``input_problems(params)`` lists the module's own problems of the options; all of them are
        reported together with the shared ones, before any request.
        """
        try:
            problems = self.input_problems() + (input_problems(self.params) if input_problems else [])
            if problems:
                raise ConfigurationError(" ".join(problems))
            logic(self)
        except DmsError as error:
            if getattr(error, "maybe_changed", False):
                self.result["changed"] = True
            error_dict = error.as_dict()
            if error_dict is not None:
                self.result["error"] = error_dict
            self.module.fail_json(msg=str(error), **self.result)
        self.module.exit_json(**self.result)

    def _hide(self, value):
        # Secrets that did not come from a no_log option must still never be printed.
        if value:
            self.module.no_log_values.add(value)

    @staticmethod
    def _checked_endpoint(option, url):
        problem = endpoint_problem(url)
        if problem:
            raise ConfigurationError("%s %r %s." % (option, url, problem))
        return url

    def _tls_verify(self):
        if not self.params["validate_certs"]:
            self.warn("validate_certs is false: the endpoint's TLS certificate is not verified. "
                      "Use this only for testing; set ca_path for a private CA instead.")
            return False
        ca_path = self.params["ca_path"]
        if ca_path is None:
            return True
        if not os.path.exists(ca_path):
            raise ConfigurationError("ca_path %s does not exist: point it at a PEM CA bundle file or directory."
                                     % ca_path)
        if os.path.isfile(ca_path) and not os.access(ca_path, os.R_OK):
            raise ConfigurationError("ca_path %s is not readable." % ca_path)
        return ca_path

    def api_client(self):
        """Resolve every setting and return the client of the DMS endpoint.

        Raises ``ConfigurationError``, before any request, when something is missing. When no
        project id is configured it is looked up in IAM by region (one request).
        """
        if self.params["timeout"] <= 0:
            raise ConfigurationError("timeout must be a positive number of seconds, got %s." % self.params["timeout"])
        if not 0 <= self.params["retries"] <= 10:
            raise ConfigurationError("retries must be 0 to 10, got %s." % self.params["retries"])
        resolver = SettingsResolver(self.params, os.environ)
        access_key, secret_key, security_token = resolver.credentials()
        for secret in (secret_key, security_token):
            self._hide(secret)
        region = resolver.setting("region")
        endpoint = resolver.setting("endpoint")
        project_id = resolver.setting("project_id")
        iam_endpoint = resolver.setting("iam_endpoint")
        if region and not REGION_PATTERN.match(region):
            raise ConfigurationError(
                "region %r must be lower-case letters, digits and '-', for example cn-north-4." % region)
        if not endpoint and not region:
            raise ConfigurationError("Set region (%s) or endpoint (%s)." % (
                resolver.sources_text("region"), resolver.sources_text("endpoint")))
        if not project_id and not region:
            raise ConfigurationError("Set project_id (%s), or region so that it can be looked up in IAM (%s)." % (
                resolver.sources_text("project_id"), resolver.sources_text("region")))
        endpoint = self._checked_endpoint("endpoint", endpoint or service_endpoint("dms", region))
        if not project_id:
            iam_endpoint = self._checked_endpoint("iam_endpoint", iam_endpoint or service_endpoint("iam", region))
        verify = self._tls_verify()

        def client(base_url, project):
            return ApiClient(base_url, access_key, secret_key, security_token=security_token,
                             project_id=project, timeout=self.params["timeout"], verify=verify,
                             retries=self.params["retries"])

        if not project_id:
            project_id = lookup_project_id(client(iam_endpoint, None), region)
        self.project_id = project_id
        return client(endpoint, project_id)

    def connector_id(self, client):
        """The dump connector the options name, directly or through the Kafka instance (one request)."""
        return self.params["connector_id"] or connector_id_of_instance(
            client, self.project_id, self.params["instance_id"])
