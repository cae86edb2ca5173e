"""Walking a document's projects."""

from __future__ import annotations

from collections.abc import Iterator

from samskaping.model._entities import Document, Programme, Project

__all__ = ["iter_projects"]


def iter_projects(document: Document) -> Iterator[tuple[str, Project | Programme]]:
    """Yield the document itself and, for a programme, each of its projects, with paths.

    >>> from samskaping.model import Project
    >>> [path for path, _ in iter_projects(Project(id="p", name="P"))]
    ['$']
    """
    yield "$", document
    if isinstance(document, Programme):
        for index, project in enumerate(document.projects):
            yield f"$.projects[{index}]", project
