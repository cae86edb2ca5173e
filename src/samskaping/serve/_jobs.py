"""Background simulations: one worker thread, a bounded table of jobs, owner-only reads.

With several worker processes (``samskaping serve --workers N``) a job's status may be
asked of another process than the one running it. A store with a ``directory`` keeps each
job's state there as a JSON file (written whole, then renamed), so every process sees it.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, cast

import attrs

from samskaping._errors import SamskapingError
from samskaping.io import register_result_hooks, result_json
from samskaping.l10n import Lang

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = ["Job", "JobStore"]

Status = Literal["queued", "running", "done", "failed"]


@attrs.define(kw_only=True)
class Job:
    """A background simulation and, once done, its result (no personal data)."""

    id: str
    owner: str
    created: datetime.datetime
    status: Status = "queued"
    result: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The job's status as JSON-ready data (the owner is not shown)."""
        return result_json(self)  # type: ignore[no-any-return]

    def state(self) -> dict[str, Any]:
        """The whole state, with the owner, as a shared store keeps it."""
        return {**self.to_dict(), "owner": self.owner}


@register_result_hooks
def _install_json_hooks(converter: Converter, lang: Lang | None, reveal: bool) -> None:  # noqa: FBT001
    del lang, reveal

    def job(value: Job) -> dict[str, Any]:
        return {
            "kind": "simulation_job",
            "id": value.id,
            "status": value.status,
            "created": value.created.isoformat(),
            "result": value.result,
            "error": value.error,
        }

    converter.register_unstructure_hook(Job, job)


#: A job id: 32 lowercase hexadecimal digits (``uuid4().hex``); nothing else names a file.
_JOB_ID: Final = re.compile(r"[0-9a-f]{32}")


def _job_of(state: dict[str, Any]) -> Job:
    return Job(
        id=state["id"],
        owner=state["owner"],
        created=datetime.datetime.fromisoformat(state["created"]),
        status=cast("Status", state["status"]),
        result=state["result"],
        error=state["error"],
    )


class JobStore:
    """Runs jobs one at a time; keeps at most ``limit`` jobs, dropping the oldest finished.

    Args:
        limit: The most jobs this process keeps.
        directory: Where every process of the service keeps its jobs' state, so that any
            of them answers a status request (``None``: in this process's memory only).
    """

    def __init__(self, limit: int, directory: str | os.PathLike[str] | None = None) -> None:
        self._limit = limit
        self._directory = Path(directory) if directory is not None else None
        if self._directory is not None:
            self._directory.mkdir(parents=True, exist_ok=True)
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="samskaping-sim")

    def submit(self, owner: str, work: Callable[[], dict[str, Any]]) -> Job | None:
        """Queue ``work``; ``None`` if the table is full of unfinished jobs."""
        with self._lock:
            if len(self._jobs) >= self._limit:
                finished = [j for j in self._jobs.values() if j.status in {"done", "failed"}]
                if not finished:
                    return None
                dropped = min(finished, key=lambda j: j.created).id
                del self._jobs[dropped]
                self._forget(dropped)
            job = Job(id=uuid.uuid4().hex, owner=owner, created=datetime.datetime.now(datetime.UTC))
            self._jobs[job.id] = job
        self._save(job)
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Callable[[], dict[str, Any]]) -> None:
        self._update(job, status="running")
        try:
            result = work()
        except Exception as error:  # noqa: BLE001  (a job's failure is reported, never raised)
            message = str(error) if isinstance(error, SamskapingError) else "internal error"
            self._update(job, status="failed", error=message)
        else:
            self._update(job, status="done", result=result)

    def _update(self, job: Job, **changes: Any) -> None:
        """Change the job: in the shared folder first, so no process sees it done too early."""
        self._save(attrs.evolve(job, **changes))
        with self._lock:
            for name, value in sorted(changes.items(), key=lambda item: item[0] == "status"):
                setattr(job, name, value)  # the status last: a reader sees it done with its result

    def get(self, job_id: str, owner: str) -> Job | None:
        """The job, if it exists and belongs to ``owner``."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            job = self._load(job_id)
        return job if job is not None and job.owner == owner else None

    def _file(self, job_id: str) -> Path | None:
        if self._directory is None or not _JOB_ID.fullmatch(job_id):
            return None
        return self._directory / f"{job_id}.json"

    def _save(self, job: Job) -> None:
        file = self._file(job.id)
        if file is None:
            return
        partial = file.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        partial.write_text(json.dumps(job.state(), ensure_ascii=False), "utf-8")
        partial.replace(file)

    def _load(self, job_id: str) -> Job | None:
        file = self._file(job_id)
        if file is None:
            return None
        try:
            return _job_of(json.loads(file.read_text("utf-8")))
        except (OSError, ValueError, KeyError):
            return None

    def _forget(self, job_id: str) -> None:
        file = self._file(job_id)
        if file is not None:
            file.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop taking jobs; running ones finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)
