"""A local MQTT broker for the demo: mosquitto when installed, else the pure-Python amqtt.

mosquitto runs as a subprocess with a generated config (anonymous access on 127.0.0.1 only,
persistence in the data folder). amqtt (MQTT 3.1.1 only, no persistence) runs in a thread with
its own asyncio loop.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sensors.mosquitto import mosquitto_conf

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
SBIN_DIRS = "/usr/sbin:/usr/local/sbin:/opt/homebrew/sbin"


@dataclass
class EmbeddedBroker:
    """A running local broker; stop it with :meth:`stop` or by leaving a ``with`` block."""

    url: str
    kind: str  # "mosquitto" or "amqtt"
    mqtt_version: str  # the newest MQTT version it speaks: "5" or "3.1.1"
    _stopper: Callable[[], None] = field(repr=False)
    _stopped: bool = field(default=False, repr=False)

    @property
    def port(self) -> int:
        """The TCP port the broker listens on."""
        return int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        """Shut the broker down (mosquitto saves its persistence file first)."""
        if not self._stopped:
            self._stopped = True
            self._stopper()

    def __enter__(self) -> EmbeddedBroker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def free_port(host: str = HOST) -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_is_free(port: int, host: str = HOST) -> bool:
    """Whether nothing listens on *port* (a port in TIME_WAIT counts as free)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def find_mosquitto() -> str | None:
    """The mosquitto executable: on PATH, or in an sbin folder that PATH may leave out."""
    return shutil.which("mosquitto") or shutil.which("mosquitto", path=SBIN_DIRS)


def wait_for_port(port: int, timeout: float = 10.0, host: str = HOST) -> bool:
    """Poll until something accepts TCP connections on *port*."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def start_embedded_broker(
    data_dir: Path, port: int | None = None, *, prefer_mosquitto: bool = True
) -> EmbeddedBroker:
    """Start a local broker on 127.0.0.1 (*port*, or a free one) keeping its files in *data_dir*."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    executable = find_mosquitto() if prefer_mosquitto else None
    if executable:
        return start_mosquitto(executable, data_dir, port)
    return start_amqtt(port)


def start_mosquitto(executable: str, data_dir: Path, port: int) -> EmbeddedBroker:
    """Run mosquitto with an anonymous, persistent localhost listener."""
    conf = data_dir / "mosquitto.conf"
    conf.write_text(mosquitto_conf(
        data_dir, port, None, None, bind_address=HOST, allow_anonymous=True,
        run_as_user=mosquitto_user(), log_dest=f"file {data_dir / 'mosquitto.log'}"), "utf-8")
    process = MosquittoProcess(executable, conf, port)
    process.start()
    return EmbeddedBroker(f"mqtt://{HOST}:{port}", "mosquitto", "5", process.stop)


def mosquitto_user() -> str | None:
    """As root, mosquitto drops to user 'mosquitto', which could not write our data folder."""
    return getpass.getuser() if os.geteuid() == 0 else None


class MosquittoProcess:
    """One mosquitto subprocess for a config file; can be stopped and started again."""

    def __init__(self, executable: str, conf: Path, port: int):
        self.executable, self.conf, self.port = executable, conf, port
        self.errors = conf.with_suffix(".stderr")
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start mosquitto and wait until it accepts connections; RuntimeError if it cannot."""
        if not port_is_free(self.port):
            raise RuntimeError(f"mosquitto did not start: port {self.port} is in use")
        with self.errors.open("ab") as stderr:
            self.process = subprocess.Popen(
                [self.executable, "-c", str(self.conf)], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=stderr)
        if not self._wait_until_listening(timeout):
            self.stop()
            detail = self.errors.read_text("utf-8", errors="replace").strip()
            raise RuntimeError(f"mosquitto did not start on port {self.port}: {detail}")
        log.info("mosquitto listening on %s:%d (pid %d)", HOST, self.port, self.process.pid)

    def _wait_until_listening(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.running:
            if wait_for_port(self.port, timeout=0.2):
                return True
        return False

    @property
    def running(self) -> bool:
        """Whether the subprocess is alive."""
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (mosquitto then writes its persistence file), SIGKILL if it hangs."""
        if not self.running:
            return
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        """Stop gracefully and start again on the same port with the same persistence file."""
        self.stop()
        self.start()


def start_amqtt(port: int, timeout: float = 10.0) -> EmbeddedBroker:
    """Run amqtt in a daemon thread with its own event loop (anonymous, in memory)."""
    runner = _AmqttRunner(port)
    runner.thread.start()
    if not runner.started.wait(timeout) or runner.error:
        runner.stop()
        raise RuntimeError(f"amqtt did not start on port {port}: {runner.error}")
    return EmbeddedBroker(f"mqtt://{HOST}:{port}", "amqtt", "3.1.1", runner.stop)


class _AmqttRunner:
    """Owns the amqtt broker's thread and loop; :meth:`stop` is safe from any thread."""

    def __init__(self, port: int):
        self.port = port
        self.started = threading.Event()
        self.error: BaseException | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.shutdown: asyncio.Event | None = None
        self.thread = threading.Thread(target=self._run, name="amqtt-broker", daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to the starting thread
            self.error = exc
            self.started.set()

    async def _serve(self) -> None:
        from amqtt.broker import Broker

        self.loop, self.shutdown = asyncio.get_running_loop(), asyncio.Event()
        broker = Broker(_amqtt_config(self.port))
        await broker.start()
        self.started.set()
        await self.shutdown.wait()
        await _shut_down(broker)

    def stop(self) -> None:
        if self.loop and self.shutdown and self.loop.is_running():
            self.loop.call_soon_threadsafe(self.shutdown.set)
        self.thread.join(10)


async def _shut_down(broker, timeout: float = 5.0) -> None:
    """Close the listener first, then the sessions, within *timeout*.

    amqtt 0.12 frees its port only after closing every session, and on Python 3.11 closing a
    session whose client is still connected can hang (a cancelled ``wait_for`` in its reader).
    """
    for server in getattr(broker, "_servers", {}).values():
        await server.close_instance()
    try:
        await asyncio.wait_for(broker.shutdown(), timeout)
    except Exception:
        log.warning("amqtt did not close its sessions cleanly", exc_info=True)


def _amqtt_config(port: int) -> dict[str, object]:
    return {
        "listeners": {"default": {"type": "tcp", "bind": f"{HOST}:{port}"}},
        "plugins": {"amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}},
    }
