"""The site's Content-Security-Policy, as a response header and as a <meta> tag.

The header (deploy/nginx.conf, content/extra/_headers) protects only on hosts that send it;
GitHub Pages sends no headers, so every page also carries the policy in
`<meta http-equiv="Content-Security-Policy">`. Browsers ignore some directives in a meta tag
(and warn about them): those are left out of it.
"""

# Directives that only a response header can carry (CSP Level 3, "delivery via meta").
HEADER_ONLY_DIRECTIVES = frozenset({"frame-ancestors", "report-uri", "report-to", "sandbox"})


def directives(policy: str) -> list[tuple[str, str]]:
    """(name, value) of each directive of a policy, in order; names lower-case."""
    parsed = []
    for part in policy.split(";"):
        tokens = part.split()
        if tokens:
            parsed.append((tokens[0].lower(), " ".join(tokens[1:])))
    return parsed


def meta_policy(header_policy: str) -> str:
    """The policy for a <meta> tag: the header's, less the directives a meta tag cannot carry."""
    return "; ".join(f"{name} {value}".strip() for name, value in directives(header_policy)
                     if name not in HEADER_ONLY_DIRECTIVES)
