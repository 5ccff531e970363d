from .story_cards import register  # noqa: F401
