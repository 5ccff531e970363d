from .networks import register  # noqa: F401
