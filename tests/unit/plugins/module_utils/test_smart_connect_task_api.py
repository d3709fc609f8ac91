# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared wait of several Smart Connect tasks, on a scripted list and a fake clock."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from harness import FakeClient, FakeClock
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsTransportError
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import SmartConnectTaskApi, TaskWait


class ScriptedApi(SmartConnectTaskApi):
    """Lists the tasks of ``statuses`` (task id -> status, the same every read) and counts the lists."""

    def __init__(self, statuses, clock, read_seconds=0.0):
        super(ScriptedApi, self).__init__(None, "project", "instance", clock=clock, sleep=clock.sleep)
        self.statuses = statuses
        self.lists = 0
        self.clock = clock
        self.read_seconds = read_seconds

    def list_all(self):
        self.lists += 1
        self.clock.now += self.read_seconds
        return dict(tasks=[dict(id=task_id, task_name=task_id, status=status) for task_id, status in self.statuses.items()])


def two_waits():
    """Waits for RUNNING: one of 1 second, one of 4."""
    return [TaskWait(dict(id=name, task_name=name), ("RUNNING",), timeout) for name, timeout in (("short", 1), ("long", 4))]


@pytest.mark.parametrize("started", [0.0, 100.0])  # the clock's origin is the system's: any will do
def test_each_wait_of_a_shared_wait_keeps_its_own_deadline_and_no_pause_passes_the_next_one(started):
    clock = FakeClock()
    clock.now = started
    api = ScriptedApi(dict(short="CREATING", long="CREATING"), clock)
    done = []
    waits = two_waits()
    api.wait_together(waits, lambda wait, shown, error: done.append((wait.task["id"], clock.now, str(error))))
    assert [(name, when - started) for name, when, error in done] == [("short", 1.0), ("long", 4.0)]
    assert all(error.startswith("Smart Connect task %r (id %s) was not RUNNING within" % (name, name))
               for name, when, error in done), done
    # 0.5, then what is left of the short wait's second; the pauses grow on (2), but none passes the long one's 4.
    assert clock.pauses == [0.5, 0.5, 2.0, 1.0] and api.lists == 5


def test_a_wait_whose_reads_take_time_ends_at_the_first_read_past_its_deadline():
    clock = FakeClock()
    api = ScriptedApi(dict(short="CREATING", long="CREATING"), clock, read_seconds=0.3)
    done = []
    waits = two_waits()
    api.wait_together(waits, lambda wait, shown, error: done.append((wait.task["id"], round(clock.now, 6))))
    assert done == [("short", 1.1), ("long", 4.3)]


def test_an_action_whose_answer_is_lost_is_read_back_for_thirty_seconds_before_it_is_sent_again():
    clock = FakeClock()
    task = dict(id="task-1", task_name="dump-1", status="RUNNING")
    client = FakeClient(clock, "PUT", task)
    api = SmartConnectTaskApi(client, "project", "instance", attempts=2, clock=clock, sleep=clock.sleep)
    with pytest.raises(DmsTransportError):
        api.act(task, "pause")
    puts = [when for method, when in client.sent if method == "PUT"]
    assert puts == [0.0, 30.0] and clock.now == 60.0


def test_a_task_that_settles_is_done_at_the_read_that_shows_it_whatever_the_others_do():
    clock = FakeClock()
    api = ScriptedApi(dict(short="CREATING", long="RUNNING"), clock)
    done = []
    api.wait_together(two_waits(), lambda wait, shown, error: done.append((wait.task["id"], api.lists, error)))
    assert [(name, lists) for name, lists, error in done] == [("long", 1), ("short", 3)]
    assert done[0][2] is None and done[1][2] is not None
