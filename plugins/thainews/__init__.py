"""Plain functions for Thai news content: dates, slugs, summaries, networks, validation.

Nothing in this package imports Pelican, so every function can be tested (and reused by
`make check` and the importer) without building a site. The Pelican plugins next to it are
thin glue around these functions.
"""
