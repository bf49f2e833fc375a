"""Devices, their sensors, readings, rollups, dead letters and alerts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, utcnow
from .park import Company, Park


class Device(TimestampMixin, Base):
    """A registered device on a park that sends readings over MQTT or HTTP."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"), index=True
    )
    # The device id in topics and URLs; unique across the platform (it is the MQTT username).
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    payload_format: Mapped[str] = mapped_column(String(20), default="native")
    # The topic (or MQTT topic filter, e.g. dsmr/reading/#) it publishes on; None for HTTP-only.
    topic: Mapped[str | None] = mapped_column(String(250), unique=True)
    interval_s: Mapped[int] = mapped_column(default=300)
    commissioned_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # SHA-256 of the device token (HTTP ingest) and the Mosquitto hash of the same secret.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    mqtt_password_hash: Mapped[str | None] = mapped_column(String(255))
    water_level_limit_cm: Mapped[float | None]
    last_seen_at: Mapped[datetime | None]

    park: Mapped[Park] = relationship()
    company: Mapped[Company | None] = relationship()
    sensors: Mapped[list[Sensor]] = relationship(
        back_populates="device", cascade="all, delete-orphan", order_by="Sensor.id"
    )

    def __repr__(self) -> str:
        return f"<Device {self.uid}>"


class Sensor(Base):
    """One measured field of a device, mapped to a canonical quantity."""

    __tablename__ = "sensor"
    __table_args__ = (UniqueConstraint("device_id", "field", name="uq_sensor_device_field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(120))
    quantity: Mapped[str] = mapped_column(String(30))
    # The unit the device sends; readings are stored in the quantity's canonical unit.
    unit: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120), default="")

    device: Mapped[Device] = relationship(back_populates="sensors")

    def __repr__(self) -> str:
        return f"<Sensor {self.id} {self.field} {self.quantity}>"


class Reading(Base):
    """One value in the quantity's canonical unit; unique per sensor and UTC timestamp."""

    __tablename__ = "reading"

    sensor_id: Mapped[int] = mapped_column(
        ForeignKey("sensor.id", ondelete="CASCADE"), primary_key=True
    )
    ts: Mapped[datetime] = mapped_column(primary_key=True)
    value: Mapped[float]

    def __repr__(self) -> str:
        return f"<Reading {self.sensor_id} {self.ts:%Y-%m-%dT%H:%M:%S} {self.value}>"


class Rollup(Base):
    """Aggregates of one sensor over a 15-minute, hourly or daily period."""

    __tablename__ = "rollup"

    sensor_id: Mapped[int] = mapped_column(
        ForeignKey("sensor.id", ondelete="CASCADE"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(4), primary_key=True)
    start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int]
    min: Mapped[float]
    max: Mapped[float]
    sum: Mapped[float]
    first_ts: Mapped[datetime]
    last_ts: Mapped[datetime]
    # Interval consumption for cumulative meters; None for other quantities.
    consumption: Mapped[float | None]

    @property
    def mean(self) -> float:
        return self.sum / self.count if self.count else float("nan")

    def __repr__(self) -> str:
        return f"<Rollup {self.sensor_id} {self.period} {self.start:%Y-%m-%dT%H:%M}>"


class DeadLetter(Base):
    """A rejected sensor message, kept with the reason it was refused."""

    __tablename__ = "dead_letter"
    __table_args__ = (Index("ix_dead_letter_park_received", "park_id", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    topic: Mapped[str] = mapped_column(String(250), default="")
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    payload_size: Mapped[int] = mapped_column(default=0)
    reason_code: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    device_id: Mapped[int | None] = mapped_column(
        ForeignKey("device.id", ondelete="SET NULL"), index=True
    )
    park_id: Mapped[int | None] = mapped_column(ForeignKey("park.id", ondelete="SET NULL"))

    device: Mapped[Device | None] = relationship()

    def __repr__(self) -> str:
        return f"<DeadLetter {self.id} {self.reason_code}>"


class Alert(Base):
    """A rule that fired for a device; open until the condition clears."""

    __tablename__ = "alert"
    __table_args__ = (
        Index("ix_alert_park_open", "park_id", "ended_at"),
        Index("ix_alert_device_rule", "device_id", "rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id", ondelete="CASCADE"))
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id", ondelete="CASCADE"))
    sensor_id: Mapped[int | None] = mapped_column(ForeignKey("sensor.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    value: Mapped[float | None]
    threshold: Mapped[float | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    device: Mapped[Device] = relationship()
    sensor: Mapped[Sensor | None] = relationship()

    def __repr__(self) -> str:
        return f"<Alert {self.id} {self.rule} device={self.device_id}>"


class AlertOverride(Base):
    """A park's own threshold for an alert rule; a NULL threshold switches the rule off."""

    __tablename__ = "alert_override"

    park_id: Mapped[int] = mapped_column(
        ForeignKey("park.id", ondelete="CASCADE"), primary_key=True
    )
    rule: Mapped[str] = mapped_column(String(40), primary_key=True)
    threshold: Mapped[float | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<AlertOverride park={self.park_id} {self.rule}={self.threshold}>"

