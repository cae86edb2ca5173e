"""Background simulations: one worker thread, a bounded table of jobs, owner-only reads."""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Literal

import attrs

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


class JobStore:
    """Runs jobs one at a time; keeps at most ``limit`` jobs, dropping the oldest finished."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
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
                del self._jobs[min(finished, key=lambda j: j.created).id]
            job = Job(id=uuid.uuid4().hex, owner=owner, created=datetime.datetime.now(datetime.UTC))
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Callable[[], dict[str, Any]]) -> None:
        job.status = "running"
        try:
            job.result = work()
            job.status = "done"
        except Exception as error:  # noqa: BLE001  (a job's failure is reported, never raised)
            from samskaping._errors import SamskapingError  # noqa: PLC0415

            job.error = str(error) if isinstance(error, SamskapingError) else "internal error"
            job.status = "failed"

    def get(self, job_id: str, owner: str) -> Job | None:
        """The job, if it exists and belongs to ``owner``."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def close(self) -> None:
        """Stop taking jobs; running ones finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)
