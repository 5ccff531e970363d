from .thai_search import register  # noqa: F401
