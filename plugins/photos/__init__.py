from .photos import register  # noqa: F401
