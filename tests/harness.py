# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the tests, the demo and the benchmark share: the environment that points Ansible at the
emulator, and the ways to run a module: in process, ad hoc, or in a playbook.

    python tests/harness.py playbook PLAYBOOK [ansible-playbook arguments]

starts an emulator, runs the playbook against it as a user would, and stops it (scripts/demo.sh).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import io
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from emulator import Emulator  # noqa: E402  pylint: disable=wrong-import-position

BIN = os.path.dirname(sys.executable)
TARGETS_DIR = os.path.join(HERE, "integration", "targets")


def ansible_env(emulator, **overrides):
    """The environment of an Ansible run: the emulator's credentials and endpoint, set as users set theirs."""
    env = dict(os.environ)
    env.update(
        ANSIBLE_ROLES_PATH=TARGETS_DIR,
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        HUAWEICLOUD_SDK_AK=emulator.access_key,
        HUAWEICLOUD_SDK_SK=emulator.secret_key,
        HUAWEICLOUD_SDK_PROJECT_ID=emulator.project_id,
        HUAWEICLOUD_DMS_ENDPOINT=emulator.url,
        HUAWEICLOUD_SDK_IAM_ENDPOINT=emulator.url,
        HUAWEICLOUD_SDK_CREDENTIALS_FILE=os.devnull,
    )
    env.update(overrides)
    return env


def emulator_extra_vars(emulator):
    """The emulator's seed values as playbook variables (``emulator_url``, ``emulator_connector_id``, ...)."""
    return dict(emulator_url=emulator.url, emulator_project_id=emulator.project_id,
                emulator_connector_id=emulator.connector_id, emulator_instance_id=emulator.instance_id,
                emulator_disabled_instance_id=emulator.disabled_instance_id,
                emulator_smart_connect_instance_id=emulator.smart_connect_instance_id)


def run_playbook(emulator, playbook, *args, **env_overrides):
    """``ansible-playbook`` on localhost against the emulator; the completed process."""
    command = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local",
               "-e", json.dumps(emulator_extra_vars(emulator)), str(playbook)] + list(args)
    return subprocess.run(command, env=ansible_env(emulator, **env_overrides), capture_output=True, check=False,
                          text=True, timeout=600)


def run_ad_hoc(emulator, args, module="hwcloud.dms.kafka_sink_task", verbosity=0, check_mode=False, **env):
    """One module run with the ``ansible`` command; ``(rc, result or None, everything printed)``."""
    command = [os.path.join(BIN, "ansible"), "localhost", "-i", "localhost,", "-c", "local", "-m", module,
               "-a", json.dumps(args)] + (["--check"] if check_mode else [])
    if verbosity:
        command.append("-" + "v" * verbosity)
    completed = subprocess.run(command, env=ansible_env(emulator, **env), capture_output=True, text=True,
                               timeout=300, check=False)
    output = completed.stdout + completed.stderr
    marker = completed.stdout.find(" => {")
    result = json.loads(completed.stdout[marker + 4:]) if marker >= 0 and verbosity == 0 else None
    return completed.returncode, result, output


@contextlib.contextmanager
def _environment(environ):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_in_process(main, args, environ, check_mode=False, diff=False):
    """Run a module's ``main()`` in this process, as Ansible would run it; return the JSON it printed.

    The result is what a user sees, ``no_log`` masking and warnings included; ``failed`` is true on failure.
    Works on every ansible-core the collection supports (2.19 also needs a serialization profile).
    """
    from ansible.module_utils import basic
    from ansible.module_utils.common import warnings

    params = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": params}).encode("utf-8")
    if hasattr(basic, "_ANSIBLE_PROFILE"):
        basic._ANSIBLE_PROFILE = "legacy"
    # Warnings are kept per process; each run starts with none, as a module process does.
    warnings._global_warnings.clear()
    warnings._global_deprecations.clear()
    # ansible-core 2.19 sends warnings to the controller's display once anything of the controller is
    # imported (pytest's process has it); a module process records them in its result instead.
    internal = sys.modules.get("ansible.module_utils._internal")
    was_controller = getattr(internal, "is_controller", None)
    if was_controller is not None:
        internal.is_controller = False
    printed = io.StringIO()
    try:
        with _environment(environ), contextlib.redirect_stdout(printed):
            main()
    except SystemExit:
        pass
    finally:
        basic._ANSIBLE_ARGS = None
        if was_controller is not None:
            internal.is_controller = was_controller
    result = json.loads(printed.getvalue())
    if "warnings" in result:
        # 2.19 hands warnings to the controller as structures; users see their text.
        result["warnings"] = [warning["event"]["msg"] if isinstance(warning, dict) else warning
                              for warning in result["warnings"]]
    return result


class FakeClock:
    """Stands in for ``time.monotonic`` and ``time.sleep`` in waits: records each pause, moves time on."""

    def __init__(self):
        self.now = 0.0
        self.pauses = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


class FakeClient:
    """Stands in for the API client beside a ``FakeClock``: a request of ``unanswered`` goes unanswered, every other
    answers ``shown``; records each request's method and when it went. Subclasses answer otherwise."""

    def __init__(self, clock, unanswered, shown):
        self.clock = clock
        self.unanswered = unanswered
        self.shown = shown
        self.sent = []

    def request(self, method, path, **options):
        self.sent.append((method, round(self.clock.now, 3)))
        return self.answer(method, path)

    def answer(self, method, path):
        if method == self.unanswered:
            from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsTransportError

            raise DmsTransportError("The service did not answer %s %s" % (method, path))
        return dict(self.shown)

    def pause_before_retry(self, attempt):
        """The client's backoff, which has tests of its own."""


class ModuleRunner:
    """Runs the collection's modules in process against one emulator, for tests, under one of the
    emulator's profiles (``exact``: the spec as first read; ``realistic``: every realism switch on)."""

    OBS_SECRET = "ObsSecretKeyNeverShown0001"

    def __init__(self, emulator, profile="exact"):
        self.emulator = emulator
        self.profile = profile
        self.realistic = profile == "realistic"

    def reset(self, **config):
        """Reset the emulator to this runner's profile; ``config`` overrides it (a realism switch set to
        false turns that one off)."""
        self.emulator.reset(profile=self.profile, **config)

    def task_args(self, task_name="it-orders", **overrides):
        """Valid ``kafka_sink_task`` arguments; ``descriptor=dict(...)`` overrides descriptor fields."""
        descriptor = dict(topics=["orders", "refunds"], consumer_strategy="earliest", access_key="OBSACCESSKEY00000001",
                          secret_key=self.OBS_SECRET, obs_bucket_name="kafka-archive", obs_path="it/orders",
                          partition_format="yyyy/MM/dd/HH", deliver_time_interval=300)
        descriptor.update(overrides.pop("descriptor", {}))
        args = dict(connector_id=self.emulator.connector_id, task_name=task_name, obs_destination_descriptor=descriptor)
        args.update(overrides)
        return args

    def run(self, module, args, check_mode=False, diff=False, **env):
        """The result of ``hwcloud.dms.<module>`` with ``args``; ``env`` adds to or overrides the environment."""
        import importlib

        main = importlib.import_module("ansible_collections.hwcloud.dms.plugins.modules." + module).main
        return run_in_process(main, args, ansible_env(self.emulator, **env), check_mode=check_mode, diff=diff)

    def sink_task(self, args, **options):
        return self.run("kafka_sink_task", args, **options)

    def info(self, args, **options):
        return self.run("kafka_sink_task_info", args, **options)

    def requests(self, method=None):
        """The API requests the emulator received since its last reset, optionally of one method."""
        return [entry for entry in self.emulator.requests() if method is None or entry["method"] == method]

    def methods(self):
        return [entry["method"] for entry in self.emulator.requests()]

    def acted(self, method):
        """The requests of ``method`` the service acted on: answered 2xx, or lost after acting (realism)."""
        return [entry for entry in self.requests(method) if entry["status"] is None or entry["status"] < 300]

    def signed(self, method, path, body=b""):
        """One signed request straight to the emulator, as another host's run sends it; the response."""
        import requests
        from emulator.server import signer

        headers = {"Content-Type": "application/json"} if body else {}
        headers = signer.sign_request(method, self.emulator.url.split("://")[1], path, [], headers, body,
                                      self.emulator.access_key, self.emulator.secret_key)
        return requests.request(method, self.emulator.url + path, data=body or None, headers=headers, timeout=10)

    @contextlib.contextmanager
    def meanwhile(self, method, action):
        """Run ``action()`` in a thread once a ``method`` request of this run has arrived (and is held by a
        fault rule): another host acting between this run's look and its call. Its exception is raised here."""
        import threading
        import time

        failures = []

        def act():
            while not self.requests(method):
                time.sleep(0.01)
            try:
                action()
            # Re-raised in the test's thread, whatever it is.
            except Exception as error:  # pylint: disable=broad-except
                failures.append(error)

        other = threading.Thread(target=act)
        other.start()
        yield
        other.join()
        if failures:
            raise failures[0]

    def changes(self):
        """``(method, last path segment)`` of every request that is not a read: what a run changed."""
        return [(entry["method"], entry["path"].rsplit("/", 1)[1]) for entry in self.emulator.requests()
                if entry["method"] != "GET"]


def main(argv):
    """``playbook PLAYBOOK [args]``: run a playbook against a fresh emulator; exit with its status."""
    if len(argv) < 2 or argv[0] != "playbook":
        sys.exit("usage: python tests/harness.py playbook PLAYBOOK [ansible-playbook arguments]")
    with Emulator() as emulator:
        command = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local"] + argv[1:]
        return subprocess.call(command, env=ansible_env(emulator))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
