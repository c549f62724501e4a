#!/usr/bin/env python3
"""/init of a large zip action: time, peak RSS and the worst stall of another client.

For each runtime (a launch command with {port} and {dir}) and each size, a
fresh runtime gets one /init with binary:true and the base64 of a zip holding
an `exec` script and SIZE MiB of incompressible data (stored, as `zip` does
with such data). Meanwhile another keep-alive connection sends GET /nope over
and over; the slowest of those answers is the stall. Peak RSS is VmHWM of
the launched process tree. Not a test: it prints figures and asserts nothing.
Usage: bench_init.py --runtime NAME=COMMAND [...] [--sizes 1,10,50] [--repeats 3]
"""
import argparse
import base64
import http.client
import io
import json
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

EXEC = "#!/bin/bash\nwhile read -r line; do echo '{}' >&3; done\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def init_body(mib):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        info = zipfile.ZipInfo("exec")
        info.external_attr = 0o100755 << 16
        archive.writestr(info, EXEC, zipfile.ZIP_DEFLATED)
        archive.writestr("data.bin", os.urandom(mib << 20), zipfile.ZIP_STORED)
    code = base64.b64encode(data.getvalue()).decode()
    value = {"name": "big", "main": "main", "binary": True, "code": code}
    return json.dumps({"value": value}).encode()


def tree(pid):
    """pid and all its descendants."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def hwm_kib(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total = max(total, int(line.split()[1]))
        except OSError:
            pass
    return total


def wait_ready(port, proc, limit=30):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


class Prober(threading.Thread):
    """GET /nope on its own keep-alive connection, again and again."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.stop, self.latencies, self.errors = port, False, [], 0

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop:
            start = time.monotonic()
            try:
                conn.request("GET", "/nope")
                conn.getresponse().read()
            except Exception:
                self.errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.latencies.append(time.monotonic() - start)
            time.sleep(0.005)


def one_init(command, body):
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="owbench-init-") as work:
        action = os.path.join(work, "action")
        os.mkdir(action)
        argv = [a.replace("{port}", str(port)).replace("{dir}", action) for a in shlex.split(command)]
        try:
            proc = subprocess.Popen(argv, cwd=action, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            return None
        try:
            if not wait_ready(port, proc):
                return None
            idle = hwm_kib(proc.pid)
            prober = Prober(port)
            prober.start()
            time.sleep(0.1)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            start = time.monotonic()
            conn.request("POST", "/init", body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            elapsed = time.monotonic() - start
            prober.stop = True
            prober.join()
            # Only probes that overlapped the /init count (each ends after it began).
            stall = max(prober.latencies) if prober.latencies else float("nan")
            return {"status": response.status, "ms": elapsed * 1000, "stall_ms": stall * 1000,
                    "hwm_mib": hwm_kib(proc.pid) / 1024, "idle_mib": idle / 1024}
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runtime", action="append", default=[], help="NAME=COMMAND")
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    bodies = {mib: init_body(mib) for mib in sizes}
    print(f"/init of a zip (exec + N MiB from /dev/urandom, base64 in the JSON body), "
          f"median of {args.repeats} fresh runtimes; stall = slowest GET of another "
          f"connection during the /init; RSS = peak VmHWM of the runtime's processes")
    print(f"{'runtime':<18} {'zip':>7} {'body':>9} {'status':>6} {'init ms':>9} "
          f"{'stall ms':>9} {'peak RSS':>10} {'RSS/body':>8}")
    for spec in args.runtime:
        name, _, command = spec.partition("=")
        for mib in sizes:
            body = bodies[mib]
            runs = [r for r in (one_init(command, body) for _ in range(args.repeats)) if r]
            if not runs:
                print(f"{name:<18} {mib:>4} MiB  not available (did not start)")
                continue
            ms = statistics.median(r["ms"] for r in runs)
            stall = statistics.median(r["stall_ms"] for r in runs)
            hwm = statistics.median(r["hwm_mib"] for r in runs)
            status = ",".join(sorted({str(r["status"]) for r in runs}))
            body_mib = len(body) / 1048576
            print(f"{name:<18} {mib:>4} MiB {body_mib:>5.1f} MiB {status:>6} {ms:>9.1f} "
                  f"{stall:>9.1f} {hwm:>6.1f} MiB {hwm / body_mib:>8.2f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
