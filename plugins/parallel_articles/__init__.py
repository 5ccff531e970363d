from .parallel_articles import register  # noqa: F401
