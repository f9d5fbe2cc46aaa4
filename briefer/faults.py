"""Named points where the fault tests stop or kill a real Briefer process.

Set ``BRIEFER_FAULT`` to ``STEP:ACTION`` (several, comma-separated):

* ``kill``  -- the process kills itself with SIGKILL at ``STEP`` (as ``kill -9`` would);
* ``pause`` -- it prints ``briefer-fault: paused at STEP`` on stderr and waits
  until a line can be read from the FIFO (or file) named by ``BRIEFER_FAULT_GO``;
* ``fail``  -- it raises OSError(ENOSPC) at ``STEP``, as a full disk would.

Without the variable every step is one dictionary lookup.  The steps are
named where they are called (``faults.step("restore-aside")`` …).
"""

from __future__ import annotations

import errno
import os
import signal
import sys


def _plan() -> dict[str, str]:
    spec = os.environ.get("BRIEFER_FAULT", "")
    out = {}
    for item in spec.split(","):
        step, _, action = item.strip().partition(":")
        if step:
            out[step] = action or "kill"
    return out


def step(name: str) -> None:
    if "BRIEFER_FAULT" not in os.environ:
        return
    action = _plan().get(name)
    if action is None:
        return
    if action == "kill":
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "pause":
        print(f"briefer-fault: paused at {name}", file=sys.stderr, flush=True)
        go = os.environ.get("BRIEFER_FAULT_GO")
        if go:
            with open(go, encoding="utf-8") as fh:  # a FIFO: blocks until the test writes to it
                fh.readline()
    elif action == "fail":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
