"""Sensor data: quantities and units, payload formats, validation, MQTT ingest and rollups.

No Flask here; only sensors.ingest imports paho-mqtt.
"""
