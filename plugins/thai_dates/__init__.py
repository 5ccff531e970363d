from .thai_dates import register  # noqa: F401
