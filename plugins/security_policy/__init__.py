from .security_policy import register  # noqa: F401
