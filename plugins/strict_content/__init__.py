from .strict_content import register  # noqa: F401
