"""The demo sensor simulator's parts; the public API is :mod:`sensors.simulator`.

``noise`` gives reproducible pseudo-random numbers, ``solar`` the sun's position, ``weather``
the park's weather and air, ``companies`` the energy use of member companies, ``blueprints``
the demo device set, ``values`` the readings per device, ``encode`` the payload formats and
``stream`` the time-ordered message stream.
"""
