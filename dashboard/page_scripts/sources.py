"""Entry script of the Sources page; the page itself refuses visitors who are not editors."""

from dashboard import sources_view

sources_view.render()
