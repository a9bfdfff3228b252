"""The status pages written into the site folder, by two processes when the machine has
a second core to give.

Pages do not depend on each other, so a forked worker shares the writing: MkDocs copies
the pages in site order, and each one is written by the parent unless the worker has
claimed it already; the worker starts at the last page and works backwards while the
parent is still rendering the outputs and copying the theme's files. A page is claimed
under a lock shared by both, so each is written exactly once, by whichever process gets
there first, and the work balances itself whatever else either process has to do.

The worker is a fork of the build made once the page state is derived: it shares the
state, the templates and the Markdown already converted; it saves in the cache the
Markdown it converts, and sends back only which stored texts it used (so that the
parent's save keeps them) or the error that stopped it. Nothing else of the build runs
in it. It is made only where forking is safe and pays: on Linux, from a process with no
other thread (``mkdocs serve`` runs a server thread), with at least
:data:`PARALLEL_FROM` pages and a second usable core.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from statusgen.core.errors import ContentError, ContentErrors, StatusgenError
from statusgen.render.markup import MarkupError
from statusgen.render.pages import PageRenderer
from statusgen.site.spare import write_file

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import SynchronizedArray

PARALLEL_FROM = 50
"""Fewer pages than this are written by the build alone. The worker inherits the
compiled templates, so the fork costs about 50 ms of CPU: on the project's 2-core
machine a site of 58 pages was built in 0.26 s with it and 0.30 s without, one of 152
pages in 0.40 s and 0.54 s (2026-12-02, four runs each, imports apart)."""


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What the worker sends back when it stops."""

    markdown: bytes = b""
    """The stored Markdown texts it used (:meth:`MarkdownRenderer.handover`: it saved
    those it converted itself)."""
    content_error: ContentError | None = None
    failure: str | None = None
    """The traceback of an unexpected error."""


class PageWriter:
    """Writes the pages at ``paths`` (output paths relative to ``site_dir``, each with the
    URL it is served at) with ``renderer``; :meth:`start` shares the work with a worker
    where that pays, :meth:`write` writes one page unless the worker has, and
    :meth:`finish` waits for the worker."""

    def __init__(
        self, renderer: PageRenderer, site_dir: Path, paths: Sequence[tuple[str, str]]
    ) -> None:
        self.renderer = renderer
        self.site_dir = site_dir
        self.paths = list(paths)
        self.index = {path: number for number, (path, _) in enumerate(self.paths)}
        self.seconds = 0.0
        """Time this process spent rendering and writing pages."""
        self._claimed: SynchronizedArray[int] | None = None
        self._worker: tuple[int, int] | None = None  # its pid, and the pipe it answers on

    def start(self) -> None:
        """Fork the worker, if the machine and the site make it worth it."""
        if not _can_fork() or len(self.paths) < PARALLEL_FROM:
            return
        import multiprocessing

        # What both processes need is made once, and inherited.
        self.renderer.compile_templates()
        self.renderer.pages.context.markdown.load()
        # Shared memory and a semaphore, inherited by the fork: a byte per page.
        self._claimed = multiprocessing.Array("b", len(self.paths))
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(read)
            _work(self, write)  # never returns
        os.close(write)
        self._worker = (pid, read)

    def write(self, path: str) -> None:
        """Render the page written to ``path`` and write it, unless the worker did."""
        number = self.index[path]
        if self._claim(number):
            self._write(number)

    def _claim(self, number: int) -> bool:
        claimed = self._claimed
        if claimed is None:
            return True
        with claimed.get_lock():
            if claimed[number]:
                return False
            claimed[number] = 1
            return True

    def _write(self, number: int) -> None:
        started = time.perf_counter()
        path, url = self.paths[number]
        html = self.renderer.render_path(url)
        assert html is not None, url
        write_file(self.site_dir / path, html)
        self.seconds += time.perf_counter() - started

    def finish(self) -> None:
        """Wait for the worker and take back its Markdown.

        :raises ContentErrors: for a text the worker could not render.
        :raises StatusgenError: when the worker failed or died.
        """
        if self._worker is None:
            return
        pid, read = self._worker
        self._worker = None
        with os.fdopen(read, "rb") as answer:
            data = answer.read()
        _, status = os.waitpid(pid, 0)
        outcome = pickle.loads(data) if data else None
        if not isinstance(outcome, _Outcome):
            raise StatusgenError(
                "statusgen: the process writing half of the pages stopped before the end "
                f"({_describe_status(status)}); the site was not replaced: build again"
            )
        if outcome.content_error is not None:
            raise ContentErrors([outcome.content_error])
        if outcome.failure is not None:
            raise StatusgenError(f"statusgen: writing the pages failed:\n{outcome.failure}")
        self.renderer.pages.context.markdown.take_over(outcome.markdown)

    def abort(self) -> None:
        """Stop the worker (the build failed elsewhere)."""
        if self._worker is None:
            return
        pid, read = self._worker
        self._worker = None
        os.close(read)
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except ProcessLookupError:  # pragma: no cover - it had ended
            pass


def _work(writer: PageWriter, answer: int) -> None:
    """The worker: claim pages from the last one backwards, write them, report, exit."""
    outcome = _Outcome()
    code = 0
    try:
        for number in range(len(writer.paths) - 1, -1, -1):
            if writer._claim(number):
                writer._write(number)
        outcome = _Outcome(markdown=writer.renderer.pages.context.markdown.handover())
    except MarkupError as error:
        outcome = _Outcome(content_error=error.locate(writer.renderer.pages.state.site))
    except BaseException:
        outcome = _Outcome(failure=traceback.format_exc())
    try:
        with os.fdopen(answer, "wb") as pipe:
            pipe.write(pickle.dumps(outcome))
    except BaseException:
        code = 1
    finally:
        # Nothing of the build's own code may run in the worker after this: no MkDocs,
        # no exit handlers, no flushing of buffers inherited from the parent.
        os._exit(code)


def _can_fork() -> bool:
    """Whether a forked worker is safe here, and has a core of its own."""
    return _forking_is_safe() and _second_core()


def _forking_is_safe() -> bool:
    # A fork copies only the thread that forks: a lock another thread holds (logging's,
    # a stream's) would stay locked in the worker forever.
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _second_core() -> bool:
    return len(os.sched_getaffinity(0)) > 1


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
