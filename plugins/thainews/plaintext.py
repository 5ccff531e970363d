"""Officers' metadata is plain text; HTML is escaped once, where it is printed.

Templates print every value through Jinja's autoescape (pelicanconf.py), so Python code keeps
the officer's text as it is. `PlainText` exists for the one printer that is not a template:
Pelican's feed writer reads a title as HTML (`Markup(item.title).striptags()`), which would drop
`<i>` from "A <i>x</i>" and turn a written "&amp;" into "&". A `PlainText` title tells Markup
that it is text (`__html__` escapes it), so the feed gets exactly the officer's words.
"""

import html


class PlainText(str):
    """A str that is text, not HTML: Markup() and Jinja's autoescape escape it exactly once.

    String methods (strip, slicing, `+`) return an ordinary str, which is still text: the
    templates escape it all the same.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return html.escape(self)
