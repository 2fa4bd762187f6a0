"""Runs a command and records its wall time and peak RSS: ``python -S -E _launcher.py OUT CMD...``.

Why a launcher: on Linux a child's ``ru_maxrss`` starts from the resident set of the process
it was forked from (``exec`` keeps the old address space's high-water mark), so a benchmark
runner that has grown to 70 MiB would see every child as using at least 70 MiB. This script
is a bare interpreter (``-S``: no site-packages), so what it passes on is the floor of any
Python process (about 7 MiB here; the ``true`` command measures it).

Writes ``<ru_maxrss KiB> <seconds from fork to exit> <exit code>`` to OUT.
"""

import os
import sys
import time


def main() -> None:
    out, command = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    with open(out, "w", encoding="utf-8") as result:
        result.write(f"{usage.ru_maxrss} {seconds!r} {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    main()
