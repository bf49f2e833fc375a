"""The MQTT ingest client: the only module that imports paho-mqtt.

Messages are acknowledged to the broker only after the batch that holds them is committed by the
sink. Until then the broker keeps them in our persistent session (fixed client id, clean start
off, session expiry), so a crash, a broker restart or a database outage never loses a message;
the sink's (sensor, ts) uniqueness absorbs the redeliveries. A message the database refuses
outright is kept as a "store_failed" dead letter (see :class:`sensors.pipeline.BatchStore`).

Threads: paho's network thread (``loop_start``) only queues messages; one worker thread decodes,
stores, acknowledges and refreshes the device registry.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from sensors.ingest_config import (
    DEFAULT_TOPICS,
    BrokerAddress,
    IngestSettings,
    subscription_filters,
    utcnow,
)
from sensors.model import DeviceRegistry, Sink
from sensors.pipeline import (
    BatchQueue,
    BatchStore,
    Decoder,
    Incoming,
    IngestStats,
    decode_all,
    default_decoder,
)

__all__ = [
    "DEFAULT_TOPICS", "BrokerAddress", "IngestSettings", "Ingestor", "PublishError",
    "close_publisher", "make_client", "make_publisher", "new_client", "publish_all",
    "subscription_filters", "utcnow",
]

log = logging.getLogger(__name__)
RECEIVE_MAXIMUM_LIMIT = 65535


def _protocol(mqtt_version: str) -> mqtt.MQTTProtocolVersion:
    versions = {"5": mqtt.MQTTv5, "3.1.1": mqtt.MQTTv311}
    if mqtt_version not in versions:
        raise ValueError(f"unsupported MQTT version {mqtt_version!r}")
    return versions[mqtt_version]


def new_client(
    address: BrokerAddress, client_id: str, *, mqtt_version: str = "5", persistent: bool = False,
    manual_ack: bool = False,
) -> mqtt.Client:
    """A configured, unconnected paho client (callback API v2)."""
    protocol = _protocol(mqtt_version)
    clean_session = (not persistent) if protocol == mqtt.MQTTv311 else None
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                         clean_session=clean_session, protocol=protocol, manual_ack=manual_ack)
    if address.username:
        client.username_pw_set(address.username, address.password)
    if address.tls:
        client.tls_set()
    return client


def make_client(settings: IngestSettings) -> mqtt.Client:
    """The ingest's unconnected client: fixed id, persistent session, manual acknowledgements."""
    client = new_client(BrokerAddress.from_url(settings.url), settings.client_id,
                         mqtt_version=settings.mqtt_version, persistent=True, manual_ack=True)
    client.reconnect_delay_set(settings.reconnect_min, settings.reconnect_max)
    return client


def connect_properties(settings: IngestSettings) -> Properties | None:
    """MQTT v5 CONNECT properties: session expiry and a receive window of two batches."""
    if settings.mqtt_version != "5":
        return None
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = settings.session_expiry
    properties.ReceiveMaximum = min(RECEIVE_MAXIMUM_LIMIT, max(1, 2 * settings.batch_size))
    return properties


class Ingestor:
    """Receives sensor messages, stores them through *sink* in batches, then acknowledges them."""

    def __init__(
        self,
        settings: IngestSettings,
        registry: DeviceRegistry,
        sink: Sink,
        clock: Callable[[], datetime] = utcnow,
        decoder: Decoder | None = None,
        extra_topics: Callable[[], Iterable[str]] | None = None,
    ):
        self.settings = settings
        self.stats = IngestStats()
        self._registry, self._clock = registry, clock
        self._decoder = decoder
        self._extra_topics = extra_topics
        self._queue = BatchQueue()
        self._stopping = threading.Event()
        self._store = BatchStore(sink, self.stats, self._stopping.wait,
                                 settings.store_retry_min, settings.store_retry_max)
        self._connected = threading.Event()
        self._ready = threading.Event()  # connected and the broker confirmed the subscriptions
        self._disconnected = threading.Event()  # our DISCONNECT (and every ack before it) is out
        self._lock = threading.Lock()  # guards _session and the connected flag against acks
        self._session = 0
        self._resumed = False  # whether the broker kept our session on the current connection
        self._subscribed: set[str] = set()
        self._thread: threading.Thread | None = None
        self._client = make_client(settings)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message
        self._client.on_subscribe = self._on_subscribe

    # -- lifecycle --------------------------------------------------------------------------

    def run_forever(self) -> None:
        """Connect and ingest in this thread until :meth:`stop` is called."""
        self._open()
        try:
            self._work()
        finally:
            self._close()

    def start(self) -> None:
        """Run the ingest in a background thread (for the demo and tests)."""
        self._stopping.clear()
        self._thread = threading.Thread(target=self.run_forever, name="ingest", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish and acknowledge the current batch, then disconnect."""
        self._stopping.set()
        if self._thread and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Block until connected and subscribed, so that nothing published from now is missed."""
        return self._ready.wait(timeout)

    def _open(self) -> None:
        address = BrokerAddress.from_url(self.settings.url)
        self._client.connect_async(address.host, address.port, self.settings.keepalive,
                                   **self._connect_kwargs())
        self._client.loop_start()  # paho retries the first connection and reconnects with backoff

    def _connect_kwargs(self) -> dict[str, object]:
        if self.settings.mqtt_version != "5":
            return {}
        return {"clean_start": False, "properties": connect_properties(self.settings)}

    def _close(self) -> None:
        # paho writes queued packets in order; stopping its loop before the DISCONNECT went out
        # could drop the last acks, and the broker would then deliver those messages again.
        self._disconnected.clear()
        if self._connected.is_set():
            self._client.disconnect()
            self._disconnected.wait(5.0)
        else:
            self._client.disconnect()
        self._client.loop_stop()
        self._connected.clear()
        self._ready.clear()

    # -- network thread ---------------------------------------------------------------------

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.error("broker refused the ingest connection: %s", reason_code)
            return
        with self._lock:
            self._session += 1
            self._resumed = bool(flags.session_present)
            self._connected.set()
        self.stats.connects += 1
        log.info("ingest connected (session present: %s)", flags.session_present)
        self._subscribed.clear()
        self._subscribe_all()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        with self._lock:
            self._connected.clear()
        self._ready.clear()
        self._disconnected.set()
        if not self._stopping.is_set():
            log.warning("ingest disconnected (%s); reconnecting", reason_code)

    def _on_message(self, client, userdata, message) -> None:
        """Only queue the message: paho's thread must never block on storage or raise."""
        try:
            self._queue.put(Incoming(message.topic, bytes(message.payload), message.mid,
                                            message.qos, self._clock(), self._session))
            self.stats.received += 1
        except Exception:
            log.exception("could not queue a message")

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        for code in reason_codes:
            if code.is_failure:
                log.error("subscription refused: %s", code)
        self._ready.set()

    def _subscribe_all(self) -> None:
        extra = self._current_extra_topics()
        filters = subscription_filters(self.settings, extra)
        wanted = [f for f in filters if f not in self._subscribed]
        if not wanted:
            self._ready.set()
            return
        self._client.subscribe([(f, self.settings.qos) for f in wanted])
        self._subscribed.update(wanted)

    def _current_extra_topics(self) -> list[str]:
        if self._extra_topics is None:
            return []
        try:
            return [t for t in self._extra_topics() if not _covered(t, self.settings.topics)]
        except Exception:
            log.exception("could not list the registry's topics")
            return []

    # -- worker -----------------------------------------------------------------------------

    def _work(self) -> None:
        next_refresh = 0.0
        while not self._stopping.is_set():
            if time.monotonic() >= next_refresh:
                self._refresh()
                next_refresh = time.monotonic() + self.settings.refresh_interval
            self._handle(self._queue.take(self.settings.batch_size, self.settings.batch_interval,
                                          self._stopping))
        self._handle(self._queue.drain())

    def _handle(self, items: list[Incoming]) -> None:
        self._await_connection()
        items = self._without_redelivered(items)
        if not items:
            return
        parts = decode_all(items, self._registry, self._decoder or default_decoder())
        if self._store.store(parts):  # durable (or parked as store_failed), else stopping
            self._ack(items)

    def _await_connection(self) -> None:
        """While disconnected, wait to learn whether the broker kept the session (see below)."""
        while not self._connected.is_set() and not self._stopping.is_set():
            self._connected.wait(0.1)

    def _without_redelivered(self, items: list[Incoming]) -> list[Incoming]:
        """Skip messages of an earlier connection when the broker kept our session.

        The broker then delivers each of them again (they were never acknowledged), and only
        the new copy can be acknowledged; storing both would only make duplicates.
        """
        with self._lock:
            session, resumed = self._session, self._resumed
        if not resumed:
            return items
        kept = [item for item in items if item.session == session or item.qos == 0]
        self.stats.skipped += len(items) - len(kept)
        return kept

    def _ack(self, items: list[Incoming]) -> None:
        """Acknowledge in arrival order the messages received on the current connection."""
        with self._lock:
            if not self._connected.is_set():
                return
            for item in items:
                if item.qos > 0 and item.session == self._session:
                    self._client.ack(item.mid, item.qos)
                    self.stats.acked += 1

    def _refresh(self) -> None:
        try:
            self._registry.refresh()
        except Exception:
            log.exception("device registry refresh failed")
        if self._connected.is_set():
            self._subscribe_all()


def _covered(topic: str, filters: Iterable[str]) -> bool:
    return any(mqtt.topic_matches_sub(f, topic) for f in filters)


# -- publishing (simulator, bench, tests) -----------------------------------------------------


class PublishError(RuntimeError):
    """The broker refused the connection or did not confirm publications in time."""


class _PublishTracker:
    """Collects the broker's confirmations (PUBACK reason codes) by message id."""

    def __init__(self) -> None:
        self.connected = threading.Event()
        self.connect_code: mqtt.ReasonCode | None = None
        self.confirmed: dict[int, list[bool]] = {}  # a list: ids wrap after 65535
        self.lock = threading.Lock()

    def on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        self.connect_code = reason_code
        self.connected.set()

    def on_publish(self, client, userdata, mid, reason_code, properties) -> None:
        with self.lock:
            self.confirmed.setdefault(mid, []).append(not reason_code.is_failure)

    def take(self, mid: int) -> bool | None:
        with self.lock:
            answers = self.confirmed.get(mid)
            if not answers:
                return None
            answer = answers.pop(0)
            if not answers:
                del self.confirmed[mid]
            return answer


class _ProtocolRefused(PublishError):
    """The broker does not speak the MQTT version we asked for."""


def make_publisher(
    url: str, client_id: str, *, mqtt_version: str = "5", timeout: float = 10.0,
    max_inflight: int = 200,
) -> mqtt.Client:
    """A connected publishing client with its network loop running; raises PublishError.

    A broker that refuses MQTT 5 (amqtt, the demo's fallback) is asked again with 3.1.1.
    """
    try:
        return _connect_publisher(url, client_id, mqtt_version, timeout, max_inflight)
    except _ProtocolRefused:
        if mqtt_version != "5":
            raise
        log.info("broker refused MQTT 5; publishing with MQTT 3.1.1")
        return _connect_publisher(url, client_id, "3.1.1", timeout, max_inflight)


def _connect_publisher(
    url: str, client_id: str, mqtt_version: str, timeout: float, max_inflight: int
) -> mqtt.Client:
    address = BrokerAddress.from_url(url)
    client = new_client(address, client_id, mqtt_version=mqtt_version)
    client.max_inflight_messages_set(max_inflight)
    tracker = _PublishTracker()
    client.user_data_set(tracker)
    client.on_connect, client.on_publish = tracker.on_connect, tracker.on_publish
    try:
        client.connect(address.host, address.port, keepalive=30)
    except OSError as exc:
        where = f"{address.host}:{address.port}"
        raise PublishError(f"cannot reach the broker at {where}: {exc}") from exc
    client.loop_start()
    code = tracker.connect_code if tracker.connected.wait(timeout) else None
    if code is None or code.is_failure:
        close_publisher(client)
        refused = _ProtocolRefused if code == "Unsupported protocol version" else PublishError
        raise refused(f"broker refused {client_id}: {code or 'no answer'}")
    return client


def publish_all(
    client: mqtt.Client, messages: Iterable[tuple[str, bytes | str]], qos: int = 1,
    timeout: float = 60.0,
) -> int:
    """Publish every (topic, payload), wait for the broker's answers; returns how many it took.

    Messages queued while the connection is down are sent after paho reconnects. Messages the
    broker refuses (MQTT v5 reason code, e.g. not authorised by the ACL) are not counted.
    """
    tracker: _PublishTracker = client.user_data_get()
    mids = [client.publish(topic, payload, qos=qos).mid for topic, payload in messages]
    if qos == 0:
        return len(mids)
    deadline = time.monotonic() + timeout
    accepted = 0
    for mid in mids:
        while (answer := tracker.take(mid)) is None:
            if time.monotonic() > deadline:
                raise PublishError(f"broker did not confirm message {mid} in time")
            time.sleep(0.002)
        accepted += answer
    return accepted


def close_publisher(client: mqtt.Client) -> None:
    """Disconnect a client made by :func:`make_publisher` and stop its network thread."""
    client.disconnect()
    client.loop_stop()
