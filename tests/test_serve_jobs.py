"""Background jobs shared by the service's worker processes through a folder."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from samskaping.serve._jobs import JobStore


def _finished(store: JobStore, job_id: str, owner: str):
    for _ in range(500):
        job = store.get(job_id, owner)
        if job is not None and job.status in {"done", "failed"}:
            return job
        threading.Event().wait(0.01)
    raise AssertionError("the job did not finish")


@pytest.fixture
def stores(tmp_path: Path):
    """Two stores, as two worker processes would have, sharing one folder."""
    first, second = JobStore(4, tmp_path), JobStore(4, tmp_path)
    yield first, second
    first.close()
    second.close()


class TestSharedJobs:
    """A job run by one process is answered by another."""

    def test_other_store_sees_the_result(self, stores) -> None:
        """The result of a job run by the first store is read through the second."""
        first, second = stores
        job = first.submit("kari", lambda: {"households": 3})
        assert job is not None
        _finished(first, job.id, "kari")
        assert {"households": 3} == second.get(job.id, "kari").result

    def test_other_store_sees_the_status(self, stores) -> None:
        """The other store reports the job as done."""
        first, second = stores
        job = first.submit("kari", lambda: {"households": 3})
        _finished(first, job.id, "kari")
        assert "done" == second.get(job.id, "kari").status

    def test_other_owner_sees_nothing(self, stores) -> None:
        """Only the owner reads a job, through any store."""
        first, second = stores
        job = first.submit("kari", lambda: {"households": 3})
        _finished(first, job.id, "kari")
        assert second.get(job.id, "ola") is None

    def test_failure_is_shared(self, stores) -> None:
        """A job that failed shows as failed, with no internals, through the other store."""
        first, second = stores

        def broken() -> dict[str, int]:
            raise ValueError("secret detail")

        job = first.submit("kari", broken)
        _finished(first, job.id, "kari")
        assert "internal error" == second.get(job.id, "kari").error

    def test_odd_id_reads_no_file(self, stores, tmp_path: Path) -> None:
        """An id that is not a job id names no file, even one that exists."""
        (tmp_path / "x.json").write_text("{}", "utf-8")
        assert stores[1].get("../x", "kari") is None

    def test_dropped_job_file_removed(self, tmp_path: Path) -> None:
        """A finished job dropped to make room leaves no file behind."""
        store = JobStore(1, tmp_path)
        try:
            old = store.submit("kari", lambda: {"households": 1})
            _finished(store, old.id, "kari")
            new = store.submit("kari", lambda: {"households": 2})
            _finished(store, new.id, "kari")
            assert not (tmp_path / f"{old.id}.json").exists()
        finally:
            store.close()

    def test_without_folder_other_store_sees_nothing(self) -> None:
        """Without a folder, each store keeps its own jobs (one worker process)."""
        first, second = JobStore(4), JobStore(4)
        try:
            job = first.submit("kari", lambda: {"households": 3})
            _finished(first, job.id, "kari")
            assert second.get(job.id, "kari") is None
        finally:
            first.close()
            second.close()
