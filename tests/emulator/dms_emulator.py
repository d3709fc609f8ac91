# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A local emulator of the Huawei Cloud DMS for Kafka APIs that hwcloud.dms calls (dumping tasks,
instances, Smart Connect and its tasks) and of the IAM project lookup, for tests and the demo.
Standard library only (trustme for --tls-dir).

    python tests/emulator/dms_emulator.py --port 0 --port-file PORT_FILE [--config CONFIG.json]

This file starts it; what it emulates is split by what it is: server.py (HTTP, signatures, faults,
control API), dumping.py (the dumping-task API), smart_connect.py (instances, Smart Connect, its
tasks), config.py (seed values, response shapes, realism switches, profiles).
"""

import argparse
import json
import os
import signal
import sys
import threading
import time

if __package__ in (None, ""):
    # Run as a script: the package is imported from the folder above, as the tests import it.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from emulator.dumping import DumpingRoutes  # noqa: E402  pylint: disable=wrong-import-position
from emulator.server import BaseHandler, EmulatorServer, EmulatorState, write_tls_material  # noqa: E402
from emulator.smart_connect import SmartConnectRoutes  # noqa: E402


class EmulatorHandler(DumpingRoutes, SmartConnectRoutes, BaseHandler):
    """Every API the emulator serves."""


def stop_when_orphaned(server, parent_pid, poll_seconds=0.5):
    """Shut ``server`` down once ``parent_pid`` is no longer this process's parent."""
    while os.getppid() == parent_pid:
        time.sleep(poll_seconds)
    server.shutdown()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", help="write the port here once listening")
    parser.add_argument("--tls-dir", help="serve HTTPS; the CA certificate goes to DIR/ca.pem")
    parser.add_argument("--config", help="JSON file of overrides of DEFAULT_CONFIG")
    parser.add_argument("--parent-pid", type=int,
                        help="stop when this process is gone (a test runner that forks each test ends its forks "
                             "without teardown; its emulators would outlive it)")
    args = parser.parse_args(argv)
    overrides = None
    if args.config:
        with open(args.config) as config_file:
            overrides = json.load(config_file)
    tls_context = write_tls_material(args.tls_dir) if args.tls_dir else None
    server = EmulatorServer((args.host, args.port), EmulatorState(overrides), EmulatorHandler, tls_context)
    scheme = "https" if tls_context else "http"

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    if args.parent_pid:
        threading.Thread(target=stop_when_orphaned, args=(server, args.parent_pid), daemon=True).start()

    # Before the port is announced: whoever reads it may stop the emulator at once.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    port = server.server_address[1]
    if args.port_file:
        # Written whole, then renamed, so a reader never sees half a number.
        with open(args.port_file + ".tmp", "w") as port_file:
            port_file.write(str(port))
        os.replace(args.port_file + ".tmp", args.port_file)
    print("DMS emulator listening on %s://%s:%s" % (scheme, args.host, port), flush=True)
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
