# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options every hwcloud.dms module shares; resolved by module_utils/dms_module.py.
    DOCUMENTATION = r"""
options:
  access_key:
    description:
      - Access key (AK) of the Huawei Cloud account or IAM user that signs the requests.
      - >-
        Credentials are taken together from the first of these sources that has both an access key
        and a secret key: the module options O(access_key) and O(secret_key) (with O(security_token));
        the environment variables E(HUAWEICLOUD_SDK_AK) and E(HUAWEICLOUD_SDK_SK) (with
        E(HUAWEICLOUD_SDK_SECURITY_TOKEN)); E(CLOUD_SDK_AK) and E(CLOUD_SDK_SK); E(HW_ACCESS_KEY) and
        E(HW_SECRET_KEY) (with E(HW_SECURITY_TOKEN)); the Huawei SDK credentials file (see O(project_id)),
        keys C(ak), C(sk) and C(security_token) in section C([basic]).
      - An access key is never combined with a secret key or token from another source.
      - Setting only one of O(access_key) and O(secret_key) in the module options is an error.
    type: str
    aliases: [ak]
  secret_key:
    description:
      - Secret key (SK) that goes with O(access_key). Never logged nor returned.
      - Read from the same source as O(access_key); see there for the order.
    type: str
    aliases: [sk]
  security_token:
    description:
      - Security token of temporary (STS) credentials, sent as the C(X-Security-Token) header.
      - Read from the same source as O(access_key); see there for the order.
    type: str
  region:
    description:
      - Region of the DMS instance, for example C(cn-north-4) or C(ap-southeast-1).
      - Chooses the public endpoints C(https://dms.<region>.myhuaweicloud.com) and
        C(https://iam.<region>.myhuaweicloud.com) (C(.eu) for C(eu-west-101)), and names the IAM
        project looked up when O(project_id) is not set.
      - If not set, the environment variables E(HUAWEICLOUD_SDK_REGION) then E(HW_REGION_NAME) are used.
      - Required unless O(endpoint) and O(project_id) are both set.
    type: str
  project_id:
    description:
      - Id of the IAM project the DMS instance belongs to.
      - >-
        If not set, the environment variables E(HUAWEICLOUD_SDK_PROJECT_ID) then E(HW_PROJECT_ID) are used,
        then key C(project_id) of the Huawei SDK credentials file (INI, section C([basic]), at the path in
        E(HUAWEICLOUD_SDK_CREDENTIALS_FILE), default C(~/.huaweicloud/credentials)).
      - If still not set, it is looked up in IAM by O(region) (one more request); IAM must know exactly one
        project of that name.
    type: str
  endpoint:
    description:
      - Base URL of the DMS API, for private endpoints, proxies or a local emulator, for example
        C(https://dms.example.internal:8443).
      - C(http://) is accepted; other schemes are refused.
      - If not set, the environment variable E(HUAWEICLOUD_DMS_ENDPOINT) is used, else the public endpoint of O(region).
    type: str
  iam_endpoint:
    description:
      - Base URL of the IAM API, used only to look up O(project_id).
      - >-
        If not set, the environment variable E(HUAWEICLOUD_SDK_IAM_ENDPOINT) is used, then key C(iam_endpoint)
        of the credentials file, else the public IAM endpoint of O(region).
    type: str
  validate_certs:
    description:
      - Verify the endpoints' TLS certificates. Set to V(false) only for testing; the module then warns.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file (or directory prepared with C(c_rehash)) of CA certificates to verify the endpoints with,
        instead of the system's.
    type: path
  timeout:
    description:
      - Seconds to wait for each answer of the service.
    type: int
    default: 30
  retries:
    description:
      - How many times a request is tried again after the first attempt fails with a connection error,
        a timeout, HTTP 429 or HTTP 5xx, 0 to 10.
      - Waits between attempts grow exponentially with full jitter (base 1 second, at most 10 seconds) and
        honour C(Retry-After) up to that cap.
      - A create is never sent again blindly; the module first looks for the task by name.
    type: int
    default: 3
notes:
  - >-
    Do not pass credentials through the C(environment) keyword of a task: Ansible prints its values at C(-vvvv).
    Use an AWX / Automation Platform credential, the environment of the C(ansible-playbook) process, the
    credentials file or vaulted variables.
  - >-
    With C(ANSIBLE_DEBUG) set, ansible-core writes every module's arguments to its debug output, secrets
    included (C(no_log) does not hide them there). Never set it on a controller that runs with real credentials.
  - >-
    A change whose answer is lost (a timeout, a dropped connection, a 5xx) is never sent again blindly: the
    module reads the task or instance back and goes on from what it shows.
requirements:
  - requests
"""

    # The connector a module works on, given directly or through its Kafka instance.
    CONNECTOR = r"""
options:
  connector_id:
    description:
      - Id of the dump connector of the Kafka instance.
      - One of O(connector_id) and O(instance_id) is required. Where both are set (as C(module_defaults) for
        C(group/hwcloud.dms.dms) gives O(instance_id) to a task that sets O(connector_id)), O(connector_id) is used
        and the instance is not read.
      - To find it, run M(hwcloud.dms.kafka_sink_task_info) with O(instance_id); it returns C(connector_id).
        The DMS console shows it too, and the instance's details in the DMS API (C(connector_id)).
    type: str
  instance_id:
    description:
      - Id of the Kafka instance; its dump connector is looked up (one more request).
      - Any instance that reports a C(connector_id) works, whether dumping was enabled on it or Smart Connect
        (which reports C(connector_enable=false)).
      - An instance with no connector has no tasks - deleting a task on it changes nothing, listing returns no
        tasks (both with a warning), and creating one fails, saying how to enable dumping.
    type: str
"""
