"""Write a file atomically: a temporary file in the same folder, renamed into place."""
from __future__ import annotations

import os
import tempfile


def write_atomic(path: str, text: str, newline: str | None = None, make_folder: bool = True,
                 durable: bool = True) -> None:
    """Readers (a CI upload step, a browser, git) never see half a file, and a failed write
    leaves the old one. Raises OSError; callers turn it into their own one-line error.
    ``durable=False`` skips fsync, for files that are only a cache."""
    folder = os.path.dirname(os.path.abspath(path))
    if make_folder:
        os.makedirs(folder, exist_ok=True)
    if os.path.isdir(path):
        raise IsADirectoryError(21, "is a directory", path)
    handle, tmp = tempfile.mkstemp(prefix=".copydesk-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as out:
            out.write(text)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; reports and baselines are shared
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
