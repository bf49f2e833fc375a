"""Pure energy and environment analytics (pandas only): periods, energy balance, climate.

No Flask, no database: functions take and return pandas objects, dataclasses and plain values,
so the dashboards, the API and the benchmarks share one tested implementation.
"""
