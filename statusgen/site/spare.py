"""The site a build replaced, kept to be written over by the next build.

On a disk that charges per inode, creating a file costs far more than writing its
bytes, and deleting a tree slows down the files created after it: on the project's
machine, 11,000 folders with a page each took 1 s to create in a fresh place, 9 to 17 s
right after a site of that size was deleted, and 0.2 s to write over in place. So
``statusgen build`` deletes no site: the one it replaces becomes the *spare*
(``.site-statusgen-spare`` beside ``site/``), and the next build writes into the spare
(each file over its old copy), deletes what it did not write, and puts it in place of
``site/``. A site then costs twice its size on disk, and a build of a site that changed
little creates almost no inode.

What the build did not write is known without asking MkDocs or its plugins what they
wrote: every write, rename or change of mode gives a file a new change time (ctime),
which no program can set back, so a file whose inode and ctime are the ones it had when
the build began was not written by it. Nothing in the spare is followed: a symbolic link
found in it (no build writes one) is removed, not written through, and so is a file
with a second name (a hard link), or a file or folder that a build would not create as
it is (another owner, another mode than the umask gives).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import time
from contextlib import suppress
from pathlib import Path

from statusgen.site.trash import SITE_MARKER

SPARE_NAME = "spare"
"""The spare's name after the staging prefix: ``.site-statusgen-spare``."""
_HIDDEN = ".statusgen-held-"
"""What a spare's entries are called while MkDocs empties the folder it builds into."""


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, over the file there if there is one (its inode and
    blocks reused), creating the folders it needs; never through a symbolic link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        descriptor = os.open(path, flags, 0o666)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.ftruncate(descriptor, len(data))  # a shorter page: the old tail goes
    finally:
        os.close(descriptor)


class SpareSite:
    """A previous site, moved into the staging folder of a build that writes over it.

    :meth:`take` moves it there and hides its entries from MkDocs, which empties the
    folder it builds into (except hidden names) before any plugin runs; the plugin
    calls :meth:`restore` before it writes anything, and :meth:`clear_way` once every
    file of the build is listed; once MkDocs is done, :meth:`sweep` deletes what the
    build did not write.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.restored = False
        """Whether :meth:`restore` ran: from then on the build may have written here."""
        self._found: dict[str, tuple[int, int]] = {}
        """Each file found on :meth:`restore`, by path: its inode and change time."""
        self._folders: set[str] = set()
        """Each folder found on :meth:`restore`, by path."""
        self._empty: set[str] = set()
        """Each folder that :meth:`restore` found or left empty, by path."""

    @classmethod
    def take(cls, spare: Path, staging: Path) -> SpareSite | None:
        """Move ``spare`` to ``staging`` if it is a site that statusgen built (None, and
        nothing moved, otherwise), its entries hidden from MkDocs."""
        try:
            if spare.is_symlink() or not (spare / SITE_MARKER).is_file():
                return None
            if (spare / SITE_MARKER).is_symlink() or spare.stat().st_uid != os.geteuid():
                return None
            spare.rename(staging)
        except OSError:
            return None
        with os.scandir(staging) as entries:
            for entry in entries:
                if not entry.name.startswith("."):
                    try:
                        Path(entry.path).rename(staging / f"{_HIDDEN}{entry.name}")
                    except OSError as error:
                        if error.errno != errno.ENAMETOOLONG:
                            raise
                        # No name to hide it under: removed, the build makes it anew
                        # (a failure here would fail every other build).
                        _remove(Path(entry.path))
        return cls(staging)

    def restore(self) -> None:
        """Put the spare's entries back where they belong (:meth:`unhide`), and note
        what is there: the inode and change time of every file, the path of every
        folder; what a build into a new folder would not have made as it is (a link, a
        file with a second name, a file or folder of another mode or owner) is removed."""
        self.restored = True
        self.unhide()
        # What a build into a new folder creates: files and folders of this user, with
        # the modes the umask gives them. Anything else in the spare is removed, not
        # kept: a file written in place keeps its mode and owner.
        user, umask = os.geteuid(), _umask()
        # Folders: the setuid, setgid and sticky bits aside (a setgid parent gives its own).
        file_mode, folder_mode = stat.S_IFREG | 0o666 & ~umask, stat.S_IFDIR | 0o777 & ~umask
        pending = [""]
        while pending:
            relative = pending.pop()
            kept = len(self._folders) + len(self._found)
            with os.scandir(self.folder / relative) as entries:
                for entry in entries:
                    path = f"{relative}{entry.name}"
                    if path == SITE_MARKER:
                        continue  # never written nor swept, nor removed with a second name
                    found = entry.stat(follow_symlinks=False)
                    if found.st_uid != user:
                        _remove(Path(entry.path))  # chown -R www-data site/, say
                    elif found.st_mode & 0o170777 == folder_mode:
                        self._folders.add(path)
                        pending.append(f"{path}/")
                    elif found.st_mode == file_mode:
                        if found.st_nlink == 1:
                            self._found[path] = (found.st_ino, found.st_ctime_ns)
                        else:  # a hard link (cp -al site/ backup/): written in place, its
                            # other names would change too, outside the site or not
                            Path(entry.path).unlink()
                    else:  # a link, a socket, another user's or mode: nothing a build writes
                        _remove(Path(entry.path))
            if relative and kept == len(self._folders) + len(self._found):
                self._empty.add(relative[:-1])  # swept like a folder the sweep empties
        self._wait_for_the_clock()

    def _wait_for_the_clock(self) -> None:
        """Return once a write gets a change time that no file noted has.

        The entries put back were renamed just before their change times were noted; on
        a file system whose clock ticks coarsely (every 4 ms, before Linux 6.13's
        multigrain timestamps) a file written in the same tick would keep the change
        time noted, and :meth:`sweep` would delete it as not written. The folder's own
        change time, set now, is the clock the writes will get.
        """
        noted = {changed for _, changed in self._found.values()}
        while True:
            os.utime(self.folder)
            if self.folder.stat().st_ctime_ns not in noted:
                return
            time.sleep(0.001)

    def unhide(self) -> None:
        """Give the spare's hidden entries their names back."""
        with os.scandir(self.folder) as entries:
            held = [entry.name for entry in entries if entry.name.startswith(_HIDDEN)]
        for name in held:
            shown = self.folder / name.removeprefix(_HIDDEN)
            if shown.exists() or shown.is_symlink():
                _remove(self.folder / name)  # the build wrote there first: it wins
            else:
                (self.folder / name).rename(shown)

    def clear_way(self, paths: list[str]) -> None:
        """Remove what stands where the files at ``paths`` go: a folder in the place of
        one of them (MkDocs would copy the file into it), a file in the place of one of
        their folders."""
        for path in paths:
            if path in self._folders:
                shutil.rmtree(self.folder / path)
                self._forget(path)
            parent = path.rpartition("/")[0]
            while parent and parent not in self._folders:
                if parent in self._found:
                    (self.folder / parent).unlink()
                    del self._found[parent]
                parent = parent.rpartition("/")[0]

    def sweep(self) -> int:
        """Delete the files the build did not write, and the spare's folders that leaves
        empty (those it found empty too); return how many files were deleted."""
        deleted = 0
        emptied = set(self._empty)
        for path, (inode, changed) in self._found.items():
            with suppress(FileNotFoundError):
                file = self.folder / path
                found = file.lstat()
                if (found.st_ino, found.st_ctime_ns) == (inode, changed):
                    file.unlink()
                    deleted += 1
                    emptied.add(path.rpartition("/")[0])
        for folder in sorted(emptied, key=len, reverse=True):
            while folder in self._folders:
                try:
                    (self.folder / folder).rmdir()
                except OSError:  # not empty: the build wrote in it
                    break
                folder = folder.rpartition("/")[0]
        return deleted

    def _forget(self, folder: str) -> None:
        inside = f"{folder}/"
        self._folders = {f for f in self._folders if f != folder and not f.startswith(inside)}
        self._found = {f: v for f, v in self._found.items() if not f.startswith(inside)}


def _umask() -> int:
    """The process's umask, which can be read only by setting it (the build runs no
    other thread when it asks)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
