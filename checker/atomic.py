"""Write a file atomically: a temporary file in the same folder, renamed into place."""
from __future__ import annotations

import os
import stat
import tempfile


def write_atomic(path: str, text: str, newline: str | None = None, make_folder: bool = True,
                 durable: bool = True) -> None:
    """Readers (a CI upload step, a browser, git) never see half a file, and a failed write
    leaves the old one. Raises OSError; callers turn it into their own one-line error.
    ``durable=False`` skips fsync, for files that are only a cache.

    What is already at ``path`` is respected (issue 13): a symlink is followed and its
    target replaced (the link stays); a FIFO or a character device (``/dev/stdout``, a
    pipe a CI step reads) is written directly, never renamed over; other special files
    (sockets, block devices) are refused.
    """
    if os.path.islink(path):
        path = os.path.realpath(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "is a directory", path)
    if mode is not None and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        with open(path, "w", encoding="utf-8", newline=newline) as out:
            out.write(text)
        return
    if mode is not None and not stat.S_ISREG(mode):
        raise OSError(22, "not a regular file, a FIFO or a character device", path)
    folder = os.path.dirname(os.path.abspath(path))
    if make_folder:
        os.makedirs(folder, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".copydesk-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as out:
            out.write(text)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        # mkstemp makes 0600; reports and baselines are shared. A file replaced keeps its mode.
        os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
