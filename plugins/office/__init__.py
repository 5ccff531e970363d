from .office import register  # noqa: F401
