"""Entry script of the Ingest page; the page itself refuses visitors who are not editors."""

from dashboard import ingest_view

ingest_view.render()
