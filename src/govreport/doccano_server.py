"""A local Doccano 1.8.4 server: its own virtualenv, SQLite, a webserver (127.0.0.1 unless --host) and the task worker.

Doccano lives in a separate virtualenv because its dependencies (Django, pandas 1.x built
against numpy 1, pydantic 2, ...) do not fit beside spaCy and doccano-client in the project's
environment. We only talk to it over HTTP.

Layout under HOME (default .doccano/, git-ignored):
  venv/            the virtualenv (may also live elsewhere, see --venv)
  db.sqlite3       the database (also the Celery broker: no Redis needed)
  media/           uploads and exports
  secret_key       Django's secret key, made once, readable by the owner only
  webserver.pid / worker.pid, webserver.log / worker.log
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

DOCCANO_VERSION = "1.8.4"
# Pins measured in /work/shared/NOTES.md: environs needs marshmallow 3, pandas 1.x needs numpy 1.
DOCCANO_REQUIREMENTS = (f"doccano=={DOCCANO_VERSION}", "marshmallow<4", "numpy<2", "gunicorn")
DEFAULT_HOME = Path(".doccano")
DEFAULT_PORT = 8000
LOOPBACK = "127.0.0.1"


class ServerError(Exception):
    """Something the user can fix; the message says what to do."""


@dataclass(frozen=True)
class Server:
    home: Path
    venv: Path
    port: int = DEFAULT_PORT
    host: str = LOOPBACK  # the address gunicorn listens on
    public_url: str = ""  # the address annotators open (a TLS reverse proxy), for Django's CSRF check

    @classmethod
    def at(cls, home: Path = DEFAULT_HOME, venv: Path | None = None, port: int = DEFAULT_PORT,
           host: str = LOOPBACK, public_url: str = "") -> "Server":
        home = home.resolve()
        return cls(home, (venv or home / "venv").resolve(), port, check_host(host), public_url.rstrip("/"))

    @property
    def url(self) -> str:
        """Where this machine reaches the server (a wildcard address is reached on 127.0.0.1)."""
        return f"http://{LOOPBACK if _is_wildcard(self.host) else _url_host(self.host)}:{self.port}"

    @property
    def local_only(self) -> bool:
        return self.host == "localhost" or ipaddress.ip_address(self.host).is_loopback

    @property
    def db(self) -> Path:
        return self.home / "db.sqlite3"

    def pid_file(self, name: str) -> Path:
        return self.home / f"{name}.pid"

    def log_file(self, name: str) -> Path:
        return self.home / f"{name}.log"

    @property
    def backend_dir(self) -> Path:
        return self.venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages" / "backend"

    def env(self) -> dict[str, str]:
        """Environment for every Doccano process: SQLite under HOME, production settings, our secret key."""
        # the long-running processes need no credentials: keep them out of their environment
        env = {k: v for k, v in os.environ.items() if k not in ("DOCCANO_USERNAME", "DOCCANO_PASSWORD")}
        env.update(
            DOCCANO_HOME=str(self.home),
            DATABASE_URL=f"sqlite:///{self.db}",
            MEDIA_ROOT=str(self.home / "media"),
            DJANGO_SETTINGS_MODULE="config.settings.production",
            STANDALONE="True",  # serve the web frontend from Django, as `doccano webserver` does
            SECRET_KEY=self.secret_key(),
            DEBUG="False",
        )
        if self.public_url:
            env["CSRF_TRUSTED_ORIGINS"] = self.public_url
            if self.public_url.startswith("https://"):  # cookies only over TLS
                env.update(SESSION_COOKIE_SECURE="True", CSRF_COOKIE_SECURE="True")
        return env

    def secret_key(self) -> str:
        path = self.home / "secret_key"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


def check_host(host: str) -> str:
    """The listening address: an IP address (IPv4 or IPv6) or localhost; anything else is refused."""
    if host == "localhost":
        return host
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        raise ServerError(f"--host {host!r} is not an IP address: give 127.0.0.1 (this machine only), the address "
                          "of one network interface (e.g. 192.168.1.20) or 0.0.0.0 (every interface).") from None


def _is_wildcard(host: str) -> bool:
    return host != "localhost" and ipaddress.ip_address(host).is_unspecified


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def exposure_warning(server: Server) -> str | None:
    """What to know when the server listens beyond this machine; None on 127.0.0.1."""
    if server.local_only:
        return None
    where = "every network interface" if _is_wildcard(server.host) else server.host
    return (f"Doccano listens on {where} (port {server.port}) over plain HTTP: anyone on that network can reach "
            "the login page, and passwords and annotations cross it unencrypted. Put it behind a TLS reverse "
            "proxy (docs/DOCCANO.md, \"A team on a network\"), restrict the port with a firewall, and give each "
            "annotator their own account (`govreport doccano add-user`).")


# --- install ---------------------------------------------------------------------------------

def venv_ready(server: Server) -> bool:
    python = server.venv / "bin" / "python"
    if not python.exists() or not (server.venv / "bin" / "doccano").exists():
        return False
    check = subprocess.run([str(python), "-c", "import gunicorn, backend.config"], capture_output=True)
    return check.returncode == 0


def ensure_venv(server: Server, log=print) -> bool:
    """Create the virtualenv and install Doccano into it unless that was done already. True if installed now."""
    if venv_ready(server):
        return False
    log(f"installing doccano=={DOCCANO_VERSION} into {server.venv} (about a minute, once)")
    if not (server.venv / "bin" / "python").exists():
        # sys._base_executable: a venv made from inside the project's venv must not inherit it
        base_python = getattr(sys, "_base_executable", sys.executable)
        run([base_python, "-m", "venv", str(server.venv)], "create the Doccano virtualenv")
    run([str(server.venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *DOCCANO_REQUIREMENTS],
        "install Doccano into its virtualenv")
    if not venv_ready(server):
        raise ServerError(f"Doccano was installed into {server.venv} but does not import; delete that folder "
                          "and run `govreport doccano serve` again.")
    return True


def run(command: list[str], what: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise ServerError(f"could not {what} (exit {result.returncode}):\n{tail}")
    return result.stdout


# --- database and admin ----------------------------------------------------------------------

# Runs inside Doccano's venv. Reads the credentials from the environment, so they never appear
# in a command line (visible in `ps`) or a file.
_CREATE_ADMIN = """
import os, sys
sys.path.insert(0, sys.argv[1])
import django
django.setup()
from django.contrib.auth import get_user_model
User = get_user_model()
name = os.environ["DOCCANO_USERNAME"]
if User.objects.filter(username=name).exists():
    print("exists")
else:
    User.objects.create_superuser(username=name, email="", password=os.environ["DOCCANO_PASSWORD"])
    print("created")
"""


def init_database(server: Server) -> None:
    """Create or migrate the SQLite database (idempotent: Django's migrate skips applied migrations)."""
    server.home.mkdir(parents=True, exist_ok=True)
    run([str(server.venv / "bin" / "doccano"), "init"], "initialise the Doccano database", env=server.env())


def ensure_admin(server: Server, username: str, password: str) -> bool:
    """Create the admin user unless it exists. True if created now. An existing user's password is left alone."""
    env = server.env() | {"DOCCANO_USERNAME": username, "DOCCANO_PASSWORD": password}
    out = run([str(server.venv / "bin" / "python"), "-c", _CREATE_ADMIN, str(server.backend_dir)],
              "create the Doccano admin user", env=env)
    return out.strip().endswith("created")


# --- processes -------------------------------------------------------------------------------

def read_pid(path: Path) -> int | None:
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def api_answers(url: str, timeout: float = 2.0) -> bool:
    """True once Django answers and the worker is up (health answers 500 without the worker, NOTES)."""
    try:
        return requests.get(f"{url}/v1/health/", timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    host = LOOPBACK if host == "localhost" or _is_wildcard(host) else host
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        return sock.connect_ex((host, port)) == 0


def _start(server: Server, name: str, command: list[str]) -> int:
    log = server.log_file(name).open("ab")
    # own session: `stop` signals the whole process group (gunicorn/celery workers included)
    process = subprocess.Popen(command, cwd=server.backend_dir, env=server.env(), stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    server.pid_file(name).write_text(str(process.pid))
    return process.pid


def start(server: Server, timeout: float = 120.0) -> bool:
    """Start the webserver (on server.host: 127.0.0.1 unless told) and the task worker; wait until the API answers.

    False if both were running already (and answering)."""
    web_pid, worker_pid = read_pid(server.pid_file("webserver")), read_pid(server.pid_file("worker"))
    if web_pid and worker_pid and api_answers(server.url):
        return False
    stop(server)  # a half-running server (one process died): start both afresh
    if port_in_use(server.port, server.host):
        raise ServerError(f"port {server.port} on {server.host} is taken by another program; "
                          "pass --port N or stop that program.")
    bin_dir = server.venv / "bin"
    _start(server, "webserver", [str(bin_dir / "gunicorn"), "--chdir", str(server.backend_dir),
                                 "--bind", f"{_url_host(server.host)}:{server.port}", "--workers", "2", "--timeout", "300",
                                 "config.wsgi"])
    _start(server, "worker", [str(bin_dir / "doccano"), "task", "--concurrency", "1"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if api_answers(server.url):
            return True
        for name in ("webserver", "worker"):
            if read_pid(server.pid_file(name)) is None:
                stop(server)
                raise ServerError(f"the Doccano {name} exited while starting; see {server.log_file(name)}:\n"
                                  + log_tail(server.log_file(name)))
        time.sleep(0.5)
    stop(server)
    raise ServerError(f"Doccano did not answer at {server.url} within {timeout:.0f} s; "
                      f"see {server.log_file('webserver')} and {server.log_file('worker')}.")


def log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stop(server: Server, timeout: float = 15.0) -> list[str]:
    """Stop the processes named in the pid files (SIGTERM to the group, then SIGKILL). Returns what was stopped."""
    stopped = []
    for name in ("webserver", "worker"):
        pid_file = server.pid_file(name)
        pid = read_pid(pid_file)
        if pid is not None:
            _signal_group(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _alive(pid):
                _signal_group(pid, signal.SIGKILL)
            stopped.append(name)
        pid_file.unlink(missing_ok=True)
    return stopped


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)  # the pid leads its own session/group (start_new_session)
    except (ProcessLookupError, PermissionError):
        pass


def _alive(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
        if finished == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, owned by someone else
    return True


def serve(server: Server, username: str, password: str, log=print) -> bool:
    """Install (once), initialise, create the admin, start. True if it started now, False if already running.
    A weak or default admin password is refused before anything starts."""
    from .password_policy import check_password

    refusal = check_password(username, password, role="Doccano admin")
    if refusal:
        raise ServerError(refusal + " Set DOCCANO_PASSWORD to it (an existing admin's password is changed in "
                          "Doccano's admin pages).")
    ensure_venv(server, log=log)
    init_database(server)
    if ensure_admin(server, username, password):
        log(f"created the Doccano admin user {username!r}")
    return start(server)
