from .safe_output import register  # noqa: F401
