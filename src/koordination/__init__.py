"""kn: share the yearly budget of an inter-municipal cooperation by SCB population."""

__version__ = "1.0.0"
