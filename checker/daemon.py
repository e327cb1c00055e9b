"""Resident mode: a background process keeps the loaded spaCy pipeline so one-article runs skip start-up.

A cold ``copydesk check`` of one article spends most of its time importing spaCy and
loading the model (issue 3: 0.8-1.0 s and 0.5-0.7 s of a 2.3-2.9 s run), which no change
to copydesk can remove. ``copydesk daemon start`` pays that once: the daemon loads the
pipelines and warms the checks, then waits on a Unix-domain socket in a private per-user
folder. ``copydesk check --daemon`` (or ``COPYDESK_DAEMON=1``) sends it the command line,
the working directory, the environment and its own stdin, stdout and stderr (SCM_RIGHTS);
the daemon forks a worker that runs the ordinary command line in that directory with
those descriptors, so the output is the in-process output byte for byte and every
request reads configurations, rule packs and articles afresh (the worker's state dies
with it; only what was loaded before the fork is shared). This is the design of
Mercurial's command server client (chg): fork per request, descriptors passed.

A daemon whose code or model changed on disk since it started is stale: it answers
"stale", stops, and the client checks in-process with a one-line note, as it does when
no daemon is running or the running one belongs to another copydesk or Python.
It exits after ``--idle-timeout`` minutes without a request (default 30).
"""
from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checker import __version__

DEFAULT_IDLE_MINUTES = 30.0
ENV_DIR = "COPYDESK_DAEMON_DIR"
SOCKET_NAME = "copydesk.sock"
LOCK_NAME = "copydesk.lock"
LOG_NAME = "copydesk-daemon.log"
# How long a client waits for the daemon to take its request before checking in-process,
# and how long ``daemon start`` waits for a new daemon to answer (the model loads first).
ANSWER_TIMEOUT_S = 10.0
START_TIMEOUT_S = 120.0
# Pipelines a daemon keeps beyond the first (each ~100-150 MB resident): a request whose
# configuration needs another one loads it itself, and the daemon loads it after for the next.
MAX_EXTRA_PIPELINES = 3
# Neutral text for the warm-up check at start (imports the checks, loads word tables).
WARM_UP_TEXT = ("Council approves new library\n\nThe city council approved plans for a new public "
                "library on Monday, the mayor said.\n\nThe building will stand on the site of the old "
                "bus depot. Work is due to start in the spring, according to the council.\n")


class DaemonError(Exception):
    """The daemon cannot be used or started; ``str()`` is one line for the user."""


# ----- where the socket lives --------------------------------------------------------------

def runtime_dir() -> Path:
    """A private folder of this user: $COPYDESK_DAEMON_DIR, else $XDG_RUNTIME_DIR/copydesk,
    else ~/.cache/copydesk/daemon; created 0700, refused if another user owns it or others can enter."""
    if os.environ.get(ENV_DIR):
        folder = Path(os.environ[ENV_DIR])
    elif os.environ.get("XDG_RUNTIME_DIR"):
        folder = Path(os.environ["XDG_RUNTIME_DIR"]) / "copydesk"
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "copydesk" / "daemon"
    if len(str(folder / SOCKET_NAME)) > 100:  # sun_path holds 104-108 bytes
        folder = Path("/tmp") / f"copydesk-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError as exc:
        raise DaemonError(f"cannot use {folder} for the daemon: {exc.strerror}") from None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise DaemonError(f"{folder} is not private to this user (needs owner {os.getuid()}, mode 0700); "
                          f"fix it or set {ENV_DIR}")
    return folder


def _identity() -> dict[str, str]:
    """What a client and a daemon must share: the same copydesk from the same place, the same Python."""
    return {"version": __version__, "python": sys.executable, "package": str(Path(__file__).resolve().parent)}


# ----- client --------------------------------------------------------------------------

def _connect(folder: Path, timeout: float = ANSWER_TIMEOUT_S) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(folder / SOCKET_NAME))
    except OSError:
        sock.close()
        raise
    return sock


class _Lines:
    """JSON messages, one per line, read from a socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def read(self) -> dict[str, Any] | None:
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)  # type: ignore[no-any-return]


def _send(sock: socket.socket, message: dict[str, Any]) -> None:
    sock.sendall(json.dumps(message).encode() + b"\n")


def request(op: str, folder: Path | None = None, timeout: float = ANSWER_TIMEOUT_S) -> dict[str, Any] | None:
    """Ask the daemon a control question ('status', 'stop'); None when no daemon answers."""
    try:
        sock = _connect(folder or runtime_dir(), timeout)
    except OSError:
        return None
    with sock:
        try:
            sock.sendall(b"R")  # where a check request passes its descriptors
            _send(sock, {"op": op, **_identity()})
            return _Lines(sock).read()
        except (OSError, ValueError):
            return None


def _stream_options(stream: Any) -> dict[str, Any]:
    return {"encoding": getattr(stream, "encoding", None) or "utf-8", "errors": getattr(stream, "errors", None) or "strict",
            "line_buffering": bool(getattr(stream, "line_buffering", False))}


def run_remote(argv: Sequence[str]) -> tuple[int | None, str]:
    """Run ``copydesk ARGV`` in the daemon: (exit status, "") or (None, why) to check in-process."""
    import signal

    if not hasattr(socket, "send_fds"):
        return None, "the daemon needs Unix-domain sockets with descriptor passing"
    try:
        folder = runtime_dir()
        sock = _connect(folder)
    except DaemonError as exc:
        return None, str(exc)
    except OSError:
        return None, "no daemon is running ('copydesk daemon start' starts one)"
    mask = os.umask(0)
    os.umask(mask)
    message = {"op": "check", **_identity(), "argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ),
               "umask": mask, "stdout": _stream_options(sys.stdout), "stderr": _stream_options(sys.stderr)}
    fds, spare = [], []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            fds.append(fd)
        except OSError:  # a closed descriptor: the worker gets /dev/null there
            spare.append(os.open(os.devnull, os.O_RDWR))
            fds.append(spare[-1])
    with sock:
        lines = _Lines(sock)
        try:
            socket.send_fds(sock, [b"R"], fds)
            _send(sock, message)
            answer = lines.read()
        except (OSError, ValueError):
            answer = None
        finally:
            for fd in spare:
                os.close(fd)
        if answer is None:
            return None, "the daemon did not answer"
        if "pid" not in answer:
            return None, str(answer.get("refused", "the daemon refused the request"))
        worker = int(answer["pid"])
        forwarded: list[int] = []

        def forward(signum: int, _frame: object) -> None:
            forwarded.append(signum)
            try:
                os.kill(worker, signum)
            except OSError:
                pass

        previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        try:
            sock.settimeout(None)
            _send(sock, {"go": True})
            result = lines.read()
        except OSError:
            result = None
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
    if result is None or "exit" not in result:
        if forwarded:
            return 128 + forwarded[-1], ""
        print(f"copydesk: error: the daemon's worker ended without a result (see {folder / LOG_NAME})",
              file=sys.stderr)
        return 2, ""
    return int(result["exit"]), ""


# ----- daemon ----------------------------------------------------------------------------

def _code_stamp() -> str:
    from checker.cache import code_fingerprint

    return code_fingerprint.__wrapped__()  # type: ignore[attr-defined,no-any-return]


def _package_stamp(package: str) -> str:
    """Sizes and times of a package's top files (spaCy, a model): a reinstall or upgrade changes them."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return "missing"  # a model given as a folder path: not watched
    folder = Path(spec.origin).parent
    parts = []
    for name in ("__init__.py", "about.py", "meta.json"):
        try:
            info = (folder / name).stat()
        except OSError:
            continue
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


class Daemon:
    """The serving loop: one forked worker per check request."""

    def __init__(self, folder: Path, idle_minutes: float) -> None:
        self.folder = folder
        self.idle_s = idle_minutes * 60 if idle_minutes > 0 else None
        self.started = time.time()
        self.requests = 0
        self.workers: set[int] = set()
        self.lock_fd = -1
        self.listener: socket.socket | None = None
        self.code = ""
        self.packages: dict[str, str] = {}

    def log(self, text: str) -> None:
        print(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} [{os.getpid()}] {text}", file=sys.stderr, flush=True)

    def claim(self) -> None:
        """Take the folder's lock: one daemon per folder, released by the kernel however it ends."""
        import fcntl

        self.lock_fd = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise DaemonError(f"a daemon is already running for {self.folder}") from None

    def bind(self) -> None:
        """Listen, owner-only, once the pipelines are loaded (a client meanwhile checks in-process)."""
        path = self.folder / SOCKET_NAME
        if path.exists() or path.is_symlink():
            path.unlink()  # left by a daemon that was killed: nobody holds the lock
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            listener.bind(str(path))
        finally:
            os.umask(old)
        listener.listen(16)
        self.listener = listener

    def preload(self) -> None:
        """Load the pipelines the configuration here needs, and warm the checks on a small text."""
        from checker.document import nlp
        from checker.engine import check_text
        from checker.errors import CopydeskError

        try:
            check_text(WARM_UP_TEXT, path=os.path.join(os.getcwd(), "copydesk-warm-up.txt"))
        except CopydeskError as exc:
            self.log(f"warm-up with the configuration of {os.getcwd()} failed ({exc}); loading the default pipeline")
        if not nlp._cache:
            nlp.load_pipeline(None, nlp.COMPONENTS)
        self.code = _code_stamp()
        self.watch()
        os.chdir("/")  # hold no directory busy; workers move to their client's

    def watch(self) -> None:
        """Remember the state on disk of spaCy and of every loaded model's package."""
        from checker.document import nlp

        for package in ["spacy", *(nlp.resolve_model(name) for name, _ in nlp._cache)]:
            self.packages.setdefault(package, _package_stamp(package))

    def stale(self) -> str | None:
        if _code_stamp() != self.code:
            return "copydesk's code changed since the daemon started"
        for package, stamp in self.packages.items():
            if _package_stamp(package) != stamp:
                return f"{package} changed since the daemon started"
        return None

    def status(self) -> dict[str, Any]:
        from checker.document import nlp

        pipelines = [{"model": nlp.resolve_model(name), "components": list(p.pipe_names)}
                     for (name, _), p in nlp._cache.items()]
        return {"running": True, "pid": os.getpid(), **_identity(), "socket": str(self.folder / SOCKET_NAME),
                "started": self.started, "idle_timeout_s": self.idle_s, "requests": self.requests,
                "pipelines": pipelines}

    def serve(self) -> None:
        import selectors

        assert self.listener is not None
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ)
        last = time.monotonic()
        self.log(f"serving on {self.folder / SOCKET_NAME} (copydesk {__version__}, idle timeout "
                 f"{'none' if self.idle_s is None else f'{self.idle_s:.0f} s'})")
        while True:
            if self.reap():
                self.learn()
            if self.workers:
                last = time.monotonic()  # a running request counts as activity
            wait = 5.0 if self.idle_s is None else min(5.0, max(0.0, last + self.idle_s - time.monotonic()))
            if not selector.select(wait):
                if self.idle_s is not None and not self.workers and time.monotonic() - last >= self.idle_s:
                    self.log("idle timeout: exiting")
                    return
                continue
            conn, _ = self.listener.accept()
            last = time.monotonic()
            if not self.handle(conn):
                return

    def reap(self) -> int:
        """Collect finished workers; how many finished."""
        finished = 0
        for pid in list(self.workers):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.workers.discard(pid)
                finished += 1
        return finished

    def handle(self, conn: socket.socket) -> bool:
        """Answer one connection; False when the daemon must stop."""
        fds: list[int] = []
        try:
            if not _same_user(conn):
                return True
            conn.settimeout(ANSWER_TIMEOUT_S)
            _, fds, _, _ = socket.recv_fds(conn, 1, 3)
            message = _Lines(conn).read()
            if message is None:
                return True
            op = message.get("op")
            if op == "status":
                _send(conn, {**self.status(), "stale": self.stale()})
                return True
            if op == "stop":
                _send(conn, {"stopping": True, "pid": os.getpid()})
                self.log("stop requested")
                return False
            if op != "check" or len(fds) != 3:
                _send(conn, {"refused": "the daemon got a request it does not know"})
                return True
            mine = _identity()
            other = [k for k in ("version", "python", "package") if message.get(k) != mine[k]]
            if other:
                _send(conn, {"refused": f"the running daemon is another copydesk ({other[0]} "
                                        f"{mine[other[0]]}); 'copydesk daemon restart' replaces it"})
                return True
            why = self.stale()
            if why:
                _send(conn, {"refused": f"the daemon is stale ({why}) and has stopped"})
                self.log(f"stale: {why}; exiting")
                return False
            self.requests += 1
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the worker, which leaves with os._exit
                self._worker(conn, fds, message)
            self.workers.add(pid)
        except (OSError, ValueError) as exc:
            self.log(f"bad request: {type(exc).__name__}: {exc}")
        finally:
            for fd in fds:
                os.close(fd)
            conn.close()
        return True

    def learn(self) -> None:
        """Load in the daemon a pipeline a worker had to load itself (a configuration with other needs)."""
        path = self.folder / "learn"
        try:
            wanted = json.loads(path.read_text(encoding="utf-8"))
            path.unlink()
        except (OSError, ValueError):
            return
        from checker.document import nlp

        for name, needs in wanted[:max(0, MAX_EXTRA_PIPELINES + 1 - len(nlp._cache))]:
            try:
                nlp.load_pipeline(name, needs)
            except Exception as exc:  # noqa: BLE001 - the worker reported the error to its user
                self.log(f"cannot preload {name}: {exc}")
        self.watch()

    def _worker(self, conn: socket.socket, fds: list[int], message: dict[str, Any]) -> None:
        """In the forked child: become the client's process (cwd, environment, descriptors) and run the command."""
        code = 2
        try:
            import signal

            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.close(self.lock_fd)
            assert self.listener is not None
            self.listener.close()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            os.chdir(message["cwd"])
            os.environ.clear()
            os.environ.update(message["env"])
            if hasattr(time, "tzset"):
                time.tzset()
            os.umask(int(message["umask"]))
            sys.stdin = _text_stream(0, "r", {"encoding": "utf-8", "errors": "strict"})
            sys.stdout = _text_stream(1, "w", message["stdout"])
            sys.stderr = _text_stream(2, "w", message["stderr"])
            conn.settimeout(ANSWER_TIMEOUT_S)
            _send(conn, {"pid": os.getpid()})
            if not (_Lines(conn).read() or {}).get("go"):
                os._exit(0)  # the client gave up waiting and checks in-process
            conn.settimeout(None)
            from checker.document import nlp

            before = set(nlp._cache)
            code = _run_command(message["argv"])
            new = [[name, sorted(needs)] for name, needs in nlp._cache if (name, needs) not in before]
            if new:
                _write_private(self.folder / "learn", json.dumps(new))
            _send(conn, {"exit": code})
        except BaseException:  # noqa: BLE001 - a worker must never return into the serving loop
            pass
        finally:
            os._exit(0)


def _run_command(argv: Sequence[str]) -> int:
    import traceback

    from checker.cli import main

    try:
        code = main(argv, local=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - as the interpreter would: traceback, status 1
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    return code


def _text_stream(fd: int, mode: str, options: dict[str, Any]) -> Any:
    import io

    raw = open(fd, mode + "b", closefd=False)  # noqa: SIM115 - lives as long as the worker
    return io.TextIOWrapper(raw, encoding=options["encoding"], errors=options["errors"],
                            line_buffering=bool(options.get("line_buffering")))


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def _same_user(conn: socket.socket) -> bool:
    """The peer runs as this user (the folder is private too; this also holds on shared /tmp)."""
    import struct

    if not hasattr(socket, "SO_PEERCRED"):
        return True
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", creds)
    return uid == os.getuid()


def run_foreground(idle_minutes: float) -> int:
    """``copydesk daemon run``: load, then serve until stopped, stale or idle (logs on stderr)."""
    import signal

    folder = runtime_dir()
    daemon = Daemon(folder, idle_minutes)
    daemon.claim()

    def terminate(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)  # through ``finally``: the socket file goes too

    signal.signal(signal.SIGTERM, terminate)
    try:
        daemon.preload()
        daemon.bind()
        daemon.serve()
    finally:
        if daemon.listener is not None:
            daemon.listener.close()
            try:
                (folder / SOCKET_NAME).unlink()
            except OSError:
                pass
    return 0


def start(idle_minutes: float) -> str:
    """Start a daemon in the background and wait until it answers; the line to show the user."""
    import subprocess

    folder = runtime_dir()
    answer = request("status", folder)
    if answer is not None:
        if answer.get("stale"):
            stop(folder)
        elif all(answer.get(k) == v for k, v in _identity().items()):
            return f"copydesk: daemon already running (pid {answer['pid']})"
        else:
            raise DaemonError(f"another copydesk daemon runs from {answer.get('python')} "
                              f"(copydesk {answer.get('version')}); 'copydesk daemon restart' replaces it")
    log = os.open(folder / LOG_NAME, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        proc = subprocess.Popen(
            # -P: the working directory is not put on sys.path (a folder named 'checker' there).
            [sys.executable, "-P", "-c", "import sys; from checker.cli import main; sys.exit(main())",
             "daemon", "run", "--idle-timeout", repr(idle_minutes)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True)
    finally:
        os.close(log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = (folder / LOG_NAME).read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
            raise DaemonError(f"the daemon exited at start: {tail[0] if tail else 'no message'}")
        answer = request("status", folder, timeout=1.0)
        if answer is not None and answer.get("pid") == proc.pid:
            return f"copydesk: daemon started (pid {proc.pid}, socket {folder / SOCKET_NAME})"
        time.sleep(0.05)
    raise DaemonError(f"the daemon did not answer within {START_TIMEOUT_S:.0f} s (see {folder / LOG_NAME})")


def stop(folder: Path | None = None) -> str:
    folder = folder or runtime_dir()
    answer = request("stop", folder)
    if answer is None:
        return "copydesk: no daemon running"
    pid = int(answer.get("pid", 0))
    if not _wait_unlocked(folder, 10.0):
        raise DaemonError(f"the daemon (pid {pid}) did not stop within 10 s")
    return f"copydesk: daemon stopped (pid {pid})"


def _wait_unlocked(folder: Path, timeout: float) -> bool:
    """Wait until no process holds the folder's lock (the daemon has exited, not only said so)."""
    import fcntl

    deadline = time.monotonic() + timeout
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except OSError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.02)
    finally:
        os.close(fd)


def describe(answer: dict[str, Any] | None) -> str:
    if answer is None:
        return "copydesk: no daemon running"
    idle = answer.get("idle_timeout_s")
    pipelines = "; ".join(f"{p['model']} ({', '.join(p['components'])})" for p in answer.get("pipelines", []))
    text = (f"copydesk: daemon running (pid {answer['pid']}, copydesk {answer.get('version')}, "
            f"up {(time.time() - float(answer.get('started', time.time()))) / 60:.0f} min, "
            f"{answer.get('requests', 0)} request(s), idle timeout "
            f"{'none' if idle is None else f'{float(idle) / 60:g} min'}); pipelines: {pipelines}; "
            f"socket {answer.get('socket')}")
    if answer.get("stale"):
        text += f"; stale: {answer['stale']}"
    return text
