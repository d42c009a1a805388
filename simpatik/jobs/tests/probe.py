"""Jobs used by the tests, registered in worker processes through SIMPATIK_JOB_MODULES."""

import time
from datetime import timedelta
from pathlib import Path

from simpatik.jobs.registry import job


@job("test.marker", title="Penanda uji", max_attempts=3, max_runtime=timedelta(seconds=2))
def marker(path: str, wait_for: str = "", fail_times: int = 0) -> None:
    """Append 'mulai' to `path`, wait until `wait_for` exists, fail the first `fail_times` runs,
    then append 'selesai'."""
    target = Path(path)
    with target.open("a") as out:
        out.write("mulai\n")
    if wait_for:
        deadline = time.monotonic() + 60
        while not Path(wait_for).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    if target.read_text().count("mulai") <= fail_times:
        raise RuntimeError("gagal sengaja")
    with target.open("a") as out:
        out.write("selesai\n")
