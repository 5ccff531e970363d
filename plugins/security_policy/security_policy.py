"""security_policy: the site's Content-Security-Policy in every page, for hosts without headers.

`CONTENT_SECURITY_POLICY` (pelicanconf.py) is the one policy: deploy/nginx.conf and
content/extra/_headers send the same one as a header (tests check that they agree), and
theme/templates/partials/head.html writes it as the first <meta> after the charset of every
page, through the Jinja filter `meta_policy` (`thainews.csp.meta_policy`: the header less what
a meta tag cannot carry). So GitHub Pages, which sends no headers, still blocks inline script.
"""

from pelican import signals

from thainews.csp import directives, meta_policy

SETTING = "CONTENT_SECURITY_POLICY"


def check_settings(pelican) -> None:
    """A policy that is not text, or reads as nothing, would silently leave pages unprotected."""
    policy = pelican.settings.get(SETTING)
    if not isinstance(policy, str) or not directives(policy):
        raise ValueError(f"security_policy: {SETTING} must be the site's Content-Security-Policy as text, "
                         f"such as \"default-src 'self'\", got {policy!r}")
    pelican.settings.setdefault("JINJA_FILTERS", {})
    pelican.settings["JINJA_FILTERS"].setdefault("meta_policy", meta_policy)


def register() -> None:
    signals.initialized.connect(check_settings)
