# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start the DMS emulator as a subprocess for a test, and use its control API."""

import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

from .config import (  # noqa: F401 - the seed values tests use
    ACCESS_KEY,
    CONNECTOR_ID,
    DISABLED_INSTANCE_ID,
    INSTANCE_ID,
    PROJECT_ID,
    SECRET_KEY,
    SMART_CONNECT_INSTANCE_ID,
    STS_ACCESS_KEY,
    STS_SECRET_KEY,
    STS_SECURITY_TOKEN,
)

SERVER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dms_emulator.py")
START_TIMEOUT_SECONDS = 15


class Emulator:
    """A running emulator: ``url``, the seed values, and its request log, state and faults."""

    access_key = ACCESS_KEY
    secret_key = SECRET_KEY
    project_id = PROJECT_ID
    connector_id = CONNECTOR_ID
    instance_id = INSTANCE_ID
    disabled_instance_id = DISABLED_INSTANCE_ID
    smart_connect_instance_id = SMART_CONNECT_INSTANCE_ID

    def __init__(self, tls=False, config=None):
        self.tls = tls
        self.config = config
        self.url = None
        self.ca_path = None
        self._process = None
        self._workdir = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        self._workdir = tempfile.mkdtemp(prefix="dms-emulator-")
        port_file = os.path.join(self._workdir, "port")
        command = [sys.executable, SERVER_SCRIPT, "--port", "0", "--port-file", port_file, "--parent-pid", str(os.getpid())]
        if self.tls:
            command += ["--tls-dir", self._workdir]
        if self.config:
            config_path = os.path.join(self._workdir, "config.json")
            with open(config_path, "w") as config_file:
                json.dump(self.config, config_file)
            command += ["--config", config_path]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not os.path.exists(port_file):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the DMS emulator did not start")
            time.sleep(0.05)
        with open(port_file) as handle:
            port = handle.read().strip()
        self.url = "%s://127.0.0.1:%s" % ("https" if self.tls else "http", port)
        if self.tls:
            self.ca_path = os.path.join(self._workdir, "ca.pem")

    def stop(self):
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
        self._process = None

    def _control(self, method, path, payload=None):
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        context = ssl.create_default_context(cafile=self.ca_path) if self.tls else None
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            return json.loads(response.read() or b"null")

    def requests(self):
        """Every API request received since the last reset, in order of arrival."""
        return self._control("GET", "/_emulator/requests")["requests"]

    def state(self):
        """The stored tasks (never their OBS keys), configuration and remaining faults."""
        return self._control("GET", "/_emulator/state")

    def reset(self, **config):
        """Forget tasks, log and faults; ``config`` overrides the seed configuration (``profile="realistic"``
        first applies that profile's settings)."""
        self._control("POST", "/_emulator/reset", config)

    def add_fault(self, **rule):
        """Add a fault rule (``FAULT_FIELDS``), for example ``method="POST", status=503, count=2``."""
        self._control("POST", "/_emulator/faults", rule)
