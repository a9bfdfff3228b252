"""Removing a replaced site without making the build wait for it.

Deleting a site costs one file-system operation per file (2.5 s for 10,000 incidents on
a disk that charges per inode), and nobody needs to wait for it: once the new site is in
place, the previous one is removed by a process of its own while ``statusgen build``
returns. ``python -m statusgen.site.trash FOLDER`` is that process; it imports nothing
heavier than the standard library.

Nothing is deleted that does not carry the marker of a site built by statusgen, and the
marker goes last, so that a removal interrupted half-way (a killed process, a reboot)
leaves a folder that the next build still recognises as its own and removes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

SITE_MARKER = ".statusgen-site"
"""The file in each built site that says statusgen wrote the folder (and may replace it)."""


def remove_site(folder: Path) -> None:
    """Delete ``folder`` if it is a site that statusgen built, its marker last; anything
    else is left alone. Another removal of the same folder may run at the same time (a
    build cleaning what an earlier one left), so what is already gone is no error.

    :raises OSError: when something cannot be deleted (the marker then stays).
    """
    marker = folder / SITE_MARKER
    if folder.is_symlink() or marker.is_symlink() or not marker.is_file():
        return
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name == SITE_MARKER:
                continue
            with suppress(FileNotFoundError):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    Path(entry.path).unlink()
    with suppress(FileNotFoundError):
        marker.unlink()
    # Apart: when two removals run at once, the one that finds the marker gone still
    # removes the folder, once the other's entries are gone too.
    with suppress(FileNotFoundError):
        folder.rmdir()


def discard(folder: Path) -> None:
    """Remove a replaced site in a process of its own, which outlives this one and does
    not hold its output open (a caller reading our output is not kept waiting); an
    empty folder, which a build may also replace, is removed at once."""
    if not (folder / SITE_MARKER).is_file():
        with suppress(OSError):
            folder.rmdir()  # only an empty folder; a marked one is removed below
        return
    try:
        subprocess.Popen(
            # Isolated (-I): not the current folder first on the path, so a
            # statusgen/ folder in a repository being built is never what runs here.
            [sys.executable, "-I", "-m", __name__, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl+C in the terminal does not stop it
        )
    except OSError:
        remove_site(folder)  # no process to spare: remove it here, late but sure


if __name__ == "__main__":
    # A failure leaves the folder marked: the next build removes it.
    with suppress(OSError):
        remove_site(Path(sys.argv[1]))
