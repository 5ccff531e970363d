from .quick_lists import register  # noqa: F401
