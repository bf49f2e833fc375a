"""Run one Ingestor in its own process (``python -m tests.sensors.ingest_runner ...``).

The reliability tests kill this process with SIGKILL mid-stream and start it again; the
SqliteSink commits each batch before the ingest acknowledges it. A file named ``<db>.ready``
appears once the ingest is connected and subscribed.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from pathlib import Path

from sensors.ingest import Ingestor, IngestSettings
from tests.sensors.mqtt_fakes import FakeRegistry, SqliteSink, device, seq_decoder


def main(argv: list[str] | None = None) -> None:
    """Ingest for device "meter-1" of park-a into the SQLite file given by --db."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--client-id", default="runner-ingest")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds per stored batch")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = IngestSettings(url=args.url, client_id=args.client_id, batch_size=args.batch_size,
                              batch_interval=0.05)
    ingestor = Ingestor(settings, FakeRegistry(device("meter-1")),
                        SqliteSink(args.db, delay=args.delay), decoder=seq_decoder)
    signal.signal(signal.SIGTERM, lambda *_: ingestor.stop())
    threading.Thread(target=_announce_ready, args=(ingestor, args.db), daemon=True).start()
    ingestor.run_forever()


def _announce_ready(ingestor: Ingestor, db: Path) -> None:
    if ingestor.wait_ready(60):
        db.with_suffix(".ready").touch()


if __name__ == "__main__":
    main()
