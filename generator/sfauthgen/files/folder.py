"""The output folder, reached only through file descriptors.

Everything sfauthgen reads, writes or deletes in an output folder goes through `Folder`:
paths are relative, checked (no absolute paths, no `..`, no NUL or control characters),
and walked one folder at a time with O_NOFOLLOW, so nothing is ever read, written or
deleted through a symbolic link, and nothing outside the folder is reached, whatever the
committed folder (manifest included) says. New files are written under unique temporary
names created with O_EXCL and renamed into place.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from sfauthgen import codes
from sfauthgen.diagnostics import OutputError
from sfauthgen.inputs import shown

MAX_READ_BYTES = 16 * 1024 * 1024
TEMP_NAME = re.compile(r"^\..+\.sfauthgen-[0-9a-f]{16}\.tmp\Z")
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\\\ud800-\udfff]")  # surrogates: no file name can hold one
_SPECIAL_PARTS = frozenset({"", ".", ".."})
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
LOCK_WAIT_SECONDS = 120.0


# sfauthgen writes at most six levels deep (package dir, main, default, folder, file); a path of hundreds
# (a hostile manifest's) is refused before a folder walk recurses through it.
MAX_PATH_PARTS = 64


class UnsafePath(OutputError):
    """A path that would leave the folder, or pass through something that is not a plain folder."""

    code = codes.UNSAFE_PATH


def parts_of(relative: str) -> list[str]:
    """The components of a relative, '/'-separated path that stays inside its folder."""
    if not isinstance(relative, str) or not relative or relative.startswith("/") or _BAD_CHARS.search(relative):
        raise UnsafePath(f"'{shown(str(relative))}' is not a relative path inside the output folder")
    parts = relative.split("/")
    if not _SPECIAL_PARTS.isdisjoint(parts) or len(parts) > MAX_PATH_PARTS:
        raise UnsafePath(f"'{shown(relative)[:200]}' is not a relative path inside the output folder")
    return parts


def is_safe(relative: str) -> bool:
    try:
        parts_of(relative)
    except UnsafePath:
        return False
    return True


def _read_up_to(fd: int, size: int, limit: int) -> bytes:
    """At most limit + 1 bytes of an open file whose size was `size` (it may have changed since),
    in buffers of the file's size rather than of the limit."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        wanted = min(max(size + 1 - total, 65536), limit + 1 - total)
        chunk = os.read(fd, wanted)
        chunks.append(chunk)
        total += len(chunk)
        if len(chunk) < wanted:
            break  # a regular file reads short only at its end: no second read to see nothing
    return b"".join(chunks)


class Folder:
    """An output folder: `root` is trusted (it comes from the command line); what is in it is not."""

    def __init__(self, root: Path) -> None:
        self.root = root

    # Walking folders.

    def exists(self) -> bool:
        try:
            info = os.lstat(self.root)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise OutputError(f"{shown(str(self.root))}: {exc.strerror}") from None
        if stat.S_ISLNK(info.st_mode):
            raise UnsafePath(f"{shown(str(self.root))} is a symbolic link; give the folder it points to")
        if not stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{shown(str(self.root))} exists and is not a folder")
        return True

    def _open_root(self) -> int:
        try:
            return os.open(self.root, _DIR_FLAGS)
        except OSError as exc:
            raise self._walk_error(exc, str(self.root)) from None

    def _walk_error(self, exc: OSError, where: str) -> OutputError:
        if exc.errno == errno.ELOOP:
            return UnsafePath(f"{shown(where)} is a symbolic link; sfauthgen never writes or reads through one")
        if exc.errno == errno.ENOTDIR:
            return UnsafePath(f"{shown(where)} is not a folder")
        return OutputError(f"{shown(where)}: {exc.strerror}")

    def _open_child(self, fd: int, parts: list[str] | tuple[str, ...], depth: int, create: bool,
                    created: list[tuple[str, ...]] | None) -> int | None:
        """A descriptor of the folder parts[depth] in the folder `fd` (parts[:depth]); None when missing."""
        part = parts[depth]
        where = parts[: depth + 1]
        try:
            return os.open(part, _DIR_FLAGS, dir_fd=fd)
        except FileNotFoundError:
            if not create:
                return None
            try:
                os.mkdir(part, 0o777, dir_fd=fd)
                if created is not None:
                    created.append(tuple(where))
                return os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                raise self._walk_error(exc, str(self.root / "/".join(where))) from None
        except OSError as exc:
            raise self._walk_error(exc, str(self.root / "/".join(where))) from None

    def _open_dir(self, parts: list[str], *, create: bool = False,
                  created: list[tuple[str, ...]] | None = None) -> int | None:
        """A descriptor of the folder `parts` below the root (None when missing and not created)."""
        fd = self._open_root()
        for depth in range(len(parts)):
            try:
                child = self._open_child(fd, parts, depth, create, created)
            finally:
                os.close(fd)
            if child is None:
                return None
            fd = child
        return fd

    @contextlib.contextmanager
    def _folders(self, *, create: bool = False,
                 created: list[tuple[str, ...]] | None = None) -> Iterator[Callable[[list[str]], int | None]]:
        """For a batch of files: each folder is opened once (still one O_NOFOLLOW step at a time from the
        root) and its descriptor reused, instead of walking from the root again for every file."""
        open_fds: dict[tuple[str, ...], int | None] = {}

        def folder_fd(parts: list[str] | tuple[str, ...]) -> int | None:
            key = tuple(parts)
            if key in open_fds:
                return open_fds[key]
            if not key:
                fd: int | None = self._open_root()
            else:
                parent = folder_fd(key[:-1])
                fd = None if parent is None else self._open_child(parent, key, len(key) - 1, create, created)
            open_fds[key] = fd
            return fd

        try:
            yield folder_fd
        finally:
            for fd in open_fds.values():
                if fd is not None:
                    os.close(fd)

    # Reading.

    def read(self, relative: str, *, limit: int = MAX_READ_BYTES) -> bytes | None:
        """The bytes of a regular file, None when it does not exist; an error for anything else."""
        return self.read_many([relative], limit=limit)[relative]

    def read_many(self, relatives: Iterable[str], *, limit: int = MAX_READ_BYTES,
                  limits: Mapping[str, int] | None = None, budget: int | None = None) -> dict[str, bytes | None]:
        """`read` of each file, walking to each folder once. `limits`: a smaller limit for some paths; `budget`:
        the most all of them may add up to (a committed folder is untrusted: its files are not all kept in
        memory whatever their number and size)."""
        found: dict[str, bytes | None] = {}
        # Every path checked first: an unsafe one is an error even where the folder does not exist.
        checked = [(relative, parts_of(relative)) for relative in relatives]
        if not self.exists():
            return {relative: None for relative, _ in checked}
        total = 0
        with self._folders() as folder_fd:
            for relative, parts in checked:
                dir_fd = folder_fd(parts[:-1])
                cap = min(limit, limits.get(relative, limit)) if limits else limit
                data = None if dir_fd is None else self._read_in(dir_fd, parts[-1], relative, cap)
                found[relative] = data
                total += len(data or b"")
                if budget is not None and total > budget:
                    raise OutputError(f"the files sfauthgen compares in {shown(str(self.root))} add up to more than "
                                      f"{budget // (1024 * 1024)} MiB, far more than it writes; restore the folder "
                                      "from version control")
        return found

    def _read_in(self, dir_fd: int, name: str, relative: str, limit: int) -> bytes | None:
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
                raise self._not_a_file(relative) from None
            raise OutputError(f"{shown(str(self.root / relative))}: {exc.strerror}") from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise self._not_a_file(relative)
            if info.st_nlink > 1:
                # A hard link's other names may lie outside the folder: a plan would show that file's text.
                raise UnsafePath(f"{shown(str(self.root / relative))} has other hard links; sfauthgen never reads "
                                 "a file that may also be outside the folder")
            data = _read_up_to(fd, info.st_size, limit)
        finally:
            os.close(fd)
        if len(data) > limit:
            raise OutputError(f"{shown(str(self.root / relative))} is larger than {limit // 1024} KiB")
        return data

    def _not_a_file(self, relative: str) -> UnsafePath:
        return UnsafePath(f"{shown(str(self.root / relative))} is not a regular file (a folder, a symbolic link "
                          "or a special file); sfauthgen never reads or writes through one")

    def kind(self, relative: str) -> str:
        """missing, file, or other (a folder, a symbolic link, a special file)."""
        parts = parts_of(relative)
        if not self.exists():
            return "missing"
        dir_fd = self._open_dir(parts[:-1])
        if dir_fd is None:
            return "missing"
        try:
            info = os.stat(parts[-1], dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return "missing"
        except OSError as exc:  # a name over 255 bytes, ...
            raise OutputError(f"{shown(str(self.root / relative))[:300]}: {exc.strerror or exc}") from None
        finally:
            os.close(dir_fd)
        return "file" if stat.S_ISREG(info.st_mode) else "other"

    # Writing.

    def create_root(self) -> list[Path]:
        """Create the folder (and missing parents); the folders created, outermost first."""
        if self.exists():
            return []
        missing = [d for d in (self.root, *self.root.parents) if not os.path.lexists(d)]
        try:
            for directory in reversed(missing):
                os.mkdir(directory)
        except OSError as exc:
            raise OutputError(f"cannot create the output folder {shown(str(self.root))}: {exc.strerror}") from None
        return list(reversed(missing))

    def _stage_in(self, dir_fd: int, parts: list[str], text: str) -> str:
        """Write `text` to a new temporary file beside parts[-1] in `dir_fd`; its relative path."""
        name = f".{parts[-1]}.sfauthgen-{os.urandom(8).hex()}.tmp"
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=dir_fd)
        try:
            data = text.encode("utf-8")
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=dir_fd)
            raise
        os.close(fd)
        return "/".join([*parts[:-1], name])

    def replace(self, temporary: str, relative: str) -> None:
        """Rename a staged file into place (a rename never follows a symbolic link at the target)."""
        self.replace_all([(temporary, relative)])

    def replace_all(self, renames: Iterable[tuple[str, str]]) -> None:
        """`replace` of each (temporary, relative) pair, walking to each folder once."""
        with self._folders() as folder_fd:
            for temporary, relative in renames:
                source, target = parts_of(temporary), parts_of(relative)
                if source[:-1] != target[:-1] or not TEMP_NAME.match(source[-1]):
                    raise UnsafePath(f"'{shown(temporary)}' is not a temporary file of '{shown(relative)}'")
                dir_fd = folder_fd(target[:-1])
                if dir_fd is None:
                    raise OutputError(f"{shown(str(self.root / relative))}: its folder disappeared")
                try:
                    os.rename(source[-1], target[-1], src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
                except FileNotFoundError:
                    continue  # replayed: already renamed
                except OSError as exc:
                    # Something took the path since the plan looked (a folder made there meanwhile). The
                    # journal still lists every rename, so the next run finishes once the path is freed.
                    raise OutputError(f"cannot put {shown(str(self.root / relative))} in place: "
                                      f"{exc.strerror or exc}; remove what is there and run again") from None

    def unlink(self, relative: str) -> None:
        """Delete a file (never what a symbolic link points to), then any folders it leaves empty."""
        self.unlink_quietly(relative)
        self.prune(parts_of(relative)[:-1])

    def prune(self, parts: list[str] | tuple[str, ...]) -> None:
        """Remove `parts` and its parents inside the root while they are empty."""
        parts = list(parts)
        while parts:
            dir_fd = self._open_dir(parts[:-1])
            if dir_fd is None:
                return
            try:
                os.rmdir(parts[-1], dir_fd=dir_fd)
            except OSError:
                return
            finally:
                os.close(dir_fd)
            parts.pop()

    def discard(self, temporaries: list[str], created: list[tuple[str, ...]]) -> None:
        """Undo staging: delete the temporary files, then the folders staging created."""
        for temporary in temporaries:
            with contextlib.suppress(OSError):
                self.unlink_quietly(temporary)
        for folder in sorted(created, key=len, reverse=True):
            with contextlib.suppress(OSError):
                self.prune(folder)

    def unlink_quietly(self, relative: str) -> None:
        parts = parts_of(relative)
        dir_fd = self._open_dir(parts[:-1])
        if dir_fd is None:
            return
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(parts[-1], dir_fd=dir_fd)
        except OSError as exc:  # a folder where a file was, a read-only folder
            raise OutputError(f"cannot delete {shown(str(self.root / relative))}: {exc.strerror or exc}") from None
        finally:
            os.close(dir_fd)

    def remove_temporaries(self) -> int:
        """Delete the temporary files a killed run left anywhere in the folder (never following a link)."""
        if not self.exists():
            return 0
        # Walked with a list, not os.fwalk, which recurses once per level: a committed tree a thousand
        # folders deep must not end the run. Hidden folders (.git and the like) are never sfauthgen's.
        # Folder names are kept, not descriptors, so a folder of thousands of folders does not run out of them.
        removed = 0
        stack: list[list[str]] = [[]]
        while stack:
            parts = stack.pop()
            try:
                dir_fd = self._open_dir(parts)
            except (OSError, OutputError):
                continue  # replaced meanwhile (a link now): nothing of sfauthgen's is reached through it
            if dir_fd is None:
                continue
            try:
                with os.scandir(dir_fd) as entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            if not entry.name.startswith(".") and len(parts) < MAX_PATH_PARTS:
                                stack.append([*parts, entry.name])
                        elif TEMP_NAME.match(entry.name) and entry.is_file(follow_symlinks=False):
                            with contextlib.suppress(OSError):
                                os.unlink(entry.name, dir_fd=dir_fd)
                                removed += 1
            except OSError:
                pass  # a folder that cannot be listed holds nothing sfauthgen left there
            finally:
                os.close(dir_fd)
        return removed

    def stage_all(self, files: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, ...]]]:
        """Stage every (relative path, text): the (temporary, relative) pairs and the folders created.
        On failure the staging is undone and OutputError says nothing was changed."""
        created: list[tuple[str, ...]] = []
        staged: list[tuple[str, str]] = []
        try:
            with self._folders(create=True, created=created) as folder_fd:
                for relative, text in files:
                    parts = parts_of(relative)
                    dir_fd = folder_fd(parts[:-1])
                    assert dir_fd is not None  # created
                    staged.append((self._stage_in(dir_fd, parts, text), relative))
        except OSError as exc:
            self.discard([t for t, _ in staged], created)
            raise OutputError(f"cannot write into {shown(str(self.root))}: {exc.strerror or exc}; "
                              "nothing was changed") from None
        except OutputError:
            self.discard([t for t, _ in staged], created)
            raise
        return staged, created

    def write_files(self, files: Mapping[str, str]) -> None:
        """Write every file, all or nothing: stage each, then rename each into place."""
        staged, created = self.stage_all(files.items())
        try:
            self.replace_all(staged)
        except OutputError:
            self.discard([temporary for temporary, _ in staged], created)  # the rest stays as it was
            raise

    # Locking.

    @contextlib.contextmanager
    def locked(self, *, exclusive: bool, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
        """Hold a lock on the folder itself (no lock file): one writer, or any number of readers."""
        if not self.exists():
            yield
            return
        fd = self._open_root()
        operation = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    fcntl.flock(fd, operation | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise OutputError(f"another sfauthgen run is using {shown(str(self.root))}; try again when "
                                          "it has finished") from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock
