from .sharing import register  # noqa: F401
