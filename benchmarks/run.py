# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Measure what a hwcloud.dms task costs against ansible.builtin.ping, and how many requests each operation sends.

Prints tables; never fails on a figure. Run it through ./benchmarks/run.sh (which sets up the
virtual environment and the collection tree), or with that environment active:

    python benchmarks/run.py [--repeat 5] [--loop 20] [--scale 200]

Every figure comes from this run. Loop variants are interleaved and repeated; per-task times are
(playbook time - time of the same playbook with an empty loop) / loop length, min and median.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

from emulator import Emulator  # noqa: E402
from harness import BIN, ansible_env  # noqa: E402

DESCRIPTOR = dict(topics=["orders"], access_key="OBSACCESSKEY00000001", secret_key="BenchObsSecret000001",
                  obs_bucket_name="bucket", partition_format="yyyy/MM/dd", deliver_time_interval=60)
SINK_TASK = dict((name, value) for name, value in DESCRIPTOR.items() if name != "topics")


def playbook_text(tasks):
    return json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}])


def loop_task(module, args, count, name_template=None):
    task = {module: args, "loop": list(range(count)), "name": "bench"}
    if name_template:
        task[module] = dict(args, task_name=name_template)
    return task


class Bench:
    def __init__(self, emulator, workdir):
        self.emulator = emulator
        self.workdir = workdir
        self.env = ansible_env(emulator)

    def run_playbook(self, tasks, label, **env_overrides):
        path = os.path.join(self.workdir, label + ".yml")
        with open(path, "w") as handle:
            handle.write(playbook_text(tasks))
        started = time.perf_counter()
        completed = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local", path],
                                   env=dict(self.env, **env_overrides), capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if completed.returncode != 0:
            raise RuntimeError("%s failed:\n%s" % (label, completed.stdout[-3000:]))
        return elapsed

    def requests_during(self, action):
        before = len(self.emulator.requests())
        action()
        return len(self.emulator.requests()) - before


def connector_args(emulator):
    return dict(connector_id=emulator.connector_id)


def smart_connect_task_args(emulator, name, **extra):
    return dict(instance_id=emulator.instance_id, task_name=name, topics=["orders"], sink_task=SINK_TASK, **extra)


def loop_variants(emulator, loop):
    """name -> (set-up tasks or None, measured tasks for a loop of ``loop``, for ``0``)."""
    task = dict(connector_args(emulator), task_name="bench-rerun", obs_destination_descriptor=DESCRIPTOR)
    smart_task = smart_connect_task_args(emulator, "bench-sc-rerun")

    def variant(module_tasks):
        return module_tasks(loop), module_tasks(0)

    return {
        "ansible.builtin.ping": variant(lambda n: [loop_task("ansible.builtin.ping", {}, n)]),
        "kafka_sink_task no-change rerun": variant(lambda n: [loop_task("hwcloud.dms.kafka_sink_task", task, n)]),
        "kafka_sink_task create + delete pair": variant(lambda n: [
            loop_task("hwcloud.dms.kafka_sink_task", dict(task), n, "bench-pair-{{ item }}"),
            loop_task("hwcloud.dms.kafka_sink_task", dict(connector_args(emulator), state="absent"), n,
                      "bench-pair-{{ item }}")]),
        "kafka_sink_task_info list": variant(lambda n: [
            loop_task("hwcloud.dms.kafka_sink_task_info", connector_args(emulator), n)]),
        "kafka_smart_connect_task no-change rerun": variant(lambda n: [
            loop_task("hwcloud.dms.kafka_smart_connect_task", smart_task, n)]),
        "kafka_smart_connect no-change rerun": variant(lambda n: [
            loop_task("hwcloud.dms.kafka_smart_connect", dict(instance_id=emulator.instance_id), n)]),
    }


def measure_loops(bench, repeat, loop):
    variants = loop_variants(bench.emulator, loop)
    bench.run_playbook([loop_task("hwcloud.dms.kafka_sink_task", dict(
        connector_args(bench.emulator), task_name="bench-rerun", obs_destination_descriptor=DESCRIPTOR), 1),
        loop_task("hwcloud.dms.kafka_smart_connect_task", smart_connect_task_args(bench.emulator, "bench-sc-rerun"),
                  1)], "setup")
    samples = dict((name, []) for name in variants)
    for round_number in range(repeat):
        for name, (full, empty) in variants.items():  # interleaved: every variant once per round
            with_loop = bench.run_playbook(full, "full")
            without = bench.run_playbook(empty, "empty")
            samples[name].append((with_loop - without) / loop)
    return samples


def count_requests(bench):
    emulator = bench.emulator
    emulator.reset()
    base = dict(connector_args(emulator), task_name="bench-count", obs_destination_descriptor=DESCRIPTOR)
    changed = dict(base, recreate="on_change",
                   obs_destination_descriptor=dict(DESCRIPTOR, deliver_time_interval=120))

    def module(name, args, **env_overrides):
        return lambda: bench.run_playbook([{name: args, "name": "op"}], "op", **env_overrides)

    return [
        ("create", bench.requests_during(module("hwcloud.dms.kafka_sink_task", base))),
        ("no-change rerun", bench.requests_during(module("hwcloud.dms.kafka_sink_task", base))),
        ("recreate (on_change)", bench.requests_during(module("hwcloud.dms.kafka_sink_task", changed))),
        ("info list", bench.requests_during(module("hwcloud.dms.kafka_sink_task_info", connector_args(emulator)))),
        ("info with topic_info", bench.requests_during(module("hwcloud.dms.kafka_sink_task_info", dict(
            connector_args(emulator), task_name="bench-count", topic_info=True)))),
        ("delete", bench.requests_during(module("hwcloud.dms.kafka_sink_task", dict(base, state="absent")))),
        ("create with instance_id, no project_id", bench.requests_during(module("hwcloud.dms.kafka_sink_task", dict(
            instance_id=emulator.instance_id, region="cn-north-4", task_name="bench-discovered",
            obs_destination_descriptor=DESCRIPTOR), HUAWEICLOUD_SDK_PROJECT_ID=""))),
        ("smart connect task: create (wait false)", bench.requests_during(module(
            "hwcloud.dms.kafka_smart_connect_task", smart_connect_task_args(emulator, "bench-sc", wait=False)))),
        ("smart connect task: no-change rerun", bench.requests_during(module(
            "hwcloud.dms.kafka_smart_connect_task", smart_connect_task_args(emulator, "bench-sc")))),
        ("smart connect task: pause (wait)", bench.requests_during(module(
            "hwcloud.dms.kafka_smart_connect_task", smart_connect_task_args(emulator, "bench-sc", state="paused")))),
        ("smart connect task: delete (wait false)", bench.requests_during(module(
            "hwcloud.dms.kafka_smart_connect_task", dict(instance_id=emulator.instance_id, task_name="bench-sc",
                                                         state="absent", wait=False)))),
        ("smart connect: enabled already", bench.requests_during(module(
            "hwcloud.dms.kafka_smart_connect", dict(instance_id=emulator.instance_id)))),
    ]


SET_SIZE = 18  # the emulator's Smart Connect task quota


def set_and_loop(emulator, name_template, count):
    """The same ``count`` Smart Connect tasks as one kafka_smart_connect_tasks call, and as a ``count``-item loop
    of kafka_smart_connect_task: ``(one_call, loop)`` playbook tasks."""
    entries = [dict(task_name=name_template % number, topics=["orders"], sink_task=SINK_TASK)
               for number in range(count)]
    one_call = [{"hwcloud.dms.kafka_smart_connect_tasks": dict(instance_id=emulator.instance_id, tasks=entries),
                 "name": "set"}]
    loop = [{"hwcloud.dms.kafka_smart_connect_task": dict(instance_id=emulator.instance_id, task_name="{{ item.task_name }}",
                                                          topics=["orders"], sink_task=SINK_TASK),
             "loop": entries, "name": "loop"}]
    return one_call, loop


def set_versus_loop(bench, repeat):
    """``(variant, min s, median s, requests)``: a no-change rerun of SET_SIZE tasks as one
    kafka_smart_connect_tasks call, and as a SET_SIZE-item loop of kafka_smart_connect_task."""
    emulator = bench.emulator
    emulator.reset()
    one_call, loop = set_and_loop(emulator, "bench-set-%02d", SET_SIZE)
    bench.run_playbook(one_call, "set-setup")
    times = dict(one_call=[], loop=[])
    requests = {}
    for round_number in range(repeat):
        for name, tasks in (("one_call", one_call), ("loop", loop)):
            before = len(emulator.requests())
            times[name].append(bench.run_playbook(tasks, name))
            requests[name] = len(emulator.requests()) - before
    emulator.reset()
    return [("%s tasks as one kafka_smart_connect_tasks call" % SET_SIZE, times["one_call"], requests["one_call"]),
            ("%s-item loop of kafka_smart_connect_task" % SET_SIZE, times["loop"], requests["loop"])]


CREATING_SECONDS = 2.0  # how long each new task says CREATING, in the emulator's realistic profile


def new_tasks_with_wait(bench, count):
    """``(variant, seconds, requests, list requests)``: ``count`` new Smart Connect tasks, each CREATING for CREATING_SECONDS,
    created and waited for as one kafka_smart_connect_tasks call, and as a ``count``-item loop of
    kafka_smart_connect_task, under the realistic profile."""
    emulator = bench.emulator
    one_call, loop = set_and_loop(emulator, "bench-new-%02d", count)
    rows = []
    for label, tasks in (("%s new tasks as one kafka_smart_connect_tasks call" % count, one_call),
                         ("%s-item loop of kafka_smart_connect_task" % count, loop)):
        emulator.reset(profile="realistic", sc_creating_seconds=CREATING_SECONDS, sc_quota_tasks=max(count, 18))
        seconds = bench.run_playbook(tasks, "new-%s" % count)
        requests = emulator.requests()
        lists = len([entry for entry in requests if entry["method"] == "GET" and entry["path"].endswith("/tasks")])
        rows.append((label, seconds, len(requests), lists))
    emulator.reset()
    return rows


def new_tasks_table(bench):
    return table(["variant", "seconds", "requests", "of them list requests"], [
        (name, "%.1f" % seconds, count, lists)
        for size in (8, SET_SIZE) for name, seconds, count, lists in new_tasks_with_wait(bench, size)])


def smart_connect_requests(bench, profile):
    """``(state change, requests, what they were)`` of a Smart Connect cycle under an emulator ``profile``."""
    emulator = bench.emulator
    emulator.reset(profile=profile)
    instance = dict(instance_id=emulator.disabled_instance_id)
    task = dict(instance, task_name="bench-cycle", topics=["orders"], sink_task=SINK_TASK)
    steps = [("enable Smart Connect", "hwcloud.dms.kafka_smart_connect", instance),
             ("create, running", "hwcloud.dms.kafka_smart_connect_task", dict(task, state="running")),
             ("no-change rerun", "hwcloud.dms.kafka_smart_connect_task", dict(task, state="running")),
             ("pause", "hwcloud.dms.kafka_smart_connect_task", dict(task, state="paused")),
             ("resume", "hwcloud.dms.kafka_smart_connect_task", dict(task, state="running")),
             ("restart", "hwcloud.dms.kafka_smart_connect_task", dict(task, state="restarted")),
             ("delete (wait)", "hwcloud.dms.kafka_smart_connect_task",
              dict(instance, task_name="bench-cycle", state="absent")),
             ("disable Smart Connect", "hwcloud.dms.kafka_smart_connect", dict(instance, state="absent"))]
    rows = []
    for label, module, args in steps:
        before = len(emulator.requests())
        bench.run_playbook([{module: args, "name": "op"}], "op")
        sent = emulator.requests()[before:]
        kinds = []
        for entry in sent:
            last = entry["path"].rsplit("/", 1)[1]
            if entry["method"] == "GET":
                last = "list" if last == "tasks" else "task" if "/tasks/" in entry["path"] else "instance"
            kind = "%s %s" % (entry["method"], "task" if entry["method"] == "DELETE" else last)
            if entry["status"] is None:
                kind += " (answer lost)"
            elif entry["status"] >= 400:
                kind += " (%s)" % entry["status"]
            if kinds and kinds[-1][0] == kind:
                kinds[-1][1] += 1
            else:
                kinds.append([kind, 1])
        described = [kind if count == 1 else "%s x%d" % (kind, count) for kind, count in kinds]
        rows.append((label, len(sent), ", ".join(described)))
    emulator.reset()
    return rows


MODULE_IMPORT = "ansible_collections.hwcloud.dms.plugins.modules.kafka_sink_task"
# Imported in this order, each line's cumulative time is what it adds to the ones before it.
IMPORT_STEPS = (("ansible.module_utils.basic", "ansible.module_utils.basic (ping pays this too)"),
                ("requests", "requests, on top of that"),
                (MODULE_IMPORT, "hwcloud.dms code and the stdlib it alone needs"))


def import_costs(repeat):
    """Milliseconds (min of ``repeat`` fresh processes) each import step adds."""
    samples = dict((name, []) for name, _label in IMPORT_STEPS)
    script = "; ".join("import " + name for name, _label in IMPORT_STEPS)
    for _attempt in range(repeat):
        completed = subprocess.run([sys.executable, "-X", "importtime", "-c", script],
                                   capture_output=True, text=True, env=dict(os.environ), check=True)
        for line in completed.stderr.splitlines():
            match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S+)$", line)
            if match and match.group(2) in samples:
                samples[match.group(2)].append(int(match.group(1)) / 1000.0)
    return [(label, min(samples[name])) for name, label in IMPORT_STEPS]


def module_process_seconds(bench, repeat):
    """Wall time of the module run as its own process (what Ansible starts), without Ansible around it."""
    args_path = os.path.join(bench.workdir, "args.json")
    with open(args_path, "w") as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": dict(connector_args(bench.emulator), task_name="bench-rerun",
                                               obs_destination_descriptor=DESCRIPTOR)}, handle)
    subprocess.run([sys.executable, "-m", "ansible_collections.hwcloud.dms.plugins.modules.kafka_sink_task",
                    args_path], env=bench.env, capture_output=True, check=True)  # make sure the task exists
    times = []
    for _attempt in range(repeat):
        started = time.perf_counter()
        completed = subprocess.run([sys.executable, "-m", "ansible_collections.hwcloud.dms.plugins.modules."
                                    "kafka_sink_task", args_path], env=bench.env, capture_output=True, text=True,
                                   check=False)
        times.append(time.perf_counter() - started)
        if '"changed": false' not in completed.stdout:
            raise RuntimeError("direct module run failed: " + completed.stdout + completed.stderr)
    return times


def scale_run(bench, count):
    bench.emulator.reset(quota_tasks=count)
    task = dict(connector_args(bench.emulator), obs_destination_descriptor=DESCRIPTOR)
    rows = []
    if not count:
        return rows
    for label, args in (("ensure %d present" % count, task), ("rerun unchanged", task),
                        ("delete %d" % count, dict(connector_args(bench.emulator), state="absent"))):
        before = len(bench.emulator.requests())
        seconds = bench.run_playbook([loop_task("hwcloud.dms.kafka_sink_task", args, count, "scale-{{ item }}")],
                                     "scale")
        rows.append((label, seconds, len(bench.emulator.requests()) - before))
    return rows


def table(headers, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = [" | ".join(str(cell).ljust(width) for cell, width in zip(headers, widths))]
    lines.append("-|-".join("-" * width for width in widths))
    lines += [" | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--loop", type=int, default=20)
    parser.add_argument("--scale", type=int, default=200)
    parser.add_argument("--requests-only", action="store_true", help="only the request counts (fast)")
    parser.add_argument("--new-tasks-only", action="store_true", help="only the new-tasks-with-wait rows")
    args = parser.parse_args()
    with Emulator(config={"quota_tasks": max(args.scale, 50)}) as emulator, \
            tempfile.TemporaryDirectory() as workdir:
        bench = Bench(emulator, workdir)
        if args.new_tasks_only:
            print(new_tasks_table(bench))
            return
        if args.requests_only:
            print(table(["operation", "requests"], count_requests(bench)))
            for profile in ("exact", "realistic"):
                print("\nA Smart Connect cycle, HTTP requests under the emulator's %s profile:" % profile)
                print(table(["state change", "requests", "what they were"], smart_connect_requests(bench, profile)))
            return
        samples = measure_loops(bench, args.repeat, args.loop)
        ping = min(samples["ansible.builtin.ping"])
        ping_median = statistics.median(samples["ansible.builtin.ping"])
        print("Per task, %d-iteration loops, %d interleaved rounds (playbook start-up subtracted):" % (
            args.loop, args.repeat))
        print(table(["variant", "min ms", "median ms", "min / ping", "median / ping"], [
            (name, "%.0f" % (min(times) * 1000), "%.0f" % (statistics.median(times) * 1000),
             "%.2fx" % (min(times) / ping), "%.2fx" % (statistics.median(times) / ping_median))
            for name, times in samples.items()]))
        print()
        print("HTTP requests per operation:")
        print(table(["operation", "requests"], count_requests(bench)))
        print()
        for profile in ("exact", "realistic"):
            print("A Smart Connect cycle, HTTP requests under the emulator's %s profile:" % profile)
            print(table(["state change", "requests", "what they were"], smart_connect_requests(bench, profile)))
            print()
        print("Import cost of the kafka_sink_task process, step by step (python -X importtime, min of %d):"
              % args.repeat)
        print(table(["import", "ms"], [(name, "%.1f" % ms) for name, ms in import_costs(args.repeat)]))
        print()
        direct = module_process_seconds(bench, args.repeat)
        rerun = samples["kafka_sink_task no-change rerun"]
        print("No-change rerun: module process alone %.0f ms (min) of %.0f ms per task; Ansible's share %.0f ms." % (
            min(direct) * 1000, min(rerun) * 1000, (min(rerun) - min(direct)) * 1000))
        print()
        print("No-change rerun of an instance's %d Smart Connect tasks (whole playbook, %d rounds):" % (
            SET_SIZE, args.repeat))
        print(table(["variant", "min s", "median s", "requests"], [
            (name, "%.2f" % min(times), "%.2f" % statistics.median(times), count)
            for name, times, count in set_versus_loop(bench, args.repeat)]))
        print()
        print("New Smart Connect tasks with wait, each CREATING for %.0f s (realistic profile, one run each):"
              % CREATING_SECONDS)
        print(new_tasks_table(bench))
        print()
        print("Scale run (one play, one loop):")
        print(table(["step", "seconds", "requests"], [
            (label, "%.1f" % seconds, requests) for label, seconds, requests in scale_run(bench, args.scale)]))


if __name__ == "__main__":
    main()
