# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline stand-in for the pip bootstrap script ansible-test downloads (get-pip.py).

ansible-test runs its cached copy, ~/.ansible/test/cache/get_pip_<version>.py, with the arguments
of a pip install (``pip==X`` and friends). Without internet the download fails ("does not have pip
available"), so scripts/test.sh puts this file there when no copy exists. It bootstraps pip from
the standard library's ensurepip, then installs what it was asked for from the package index.
"""

import subprocess
import sys

# get-pip.py's own switches, which pip install does not know.
GET_PIP_ONLY = ("--no-setuptools", "--no-wheel")


def main():
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
    arguments = [argument for argument in sys.argv[1:] if argument not in GET_PIP_ONLY]
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + arguments)


if __name__ == "__main__":
    main()
