"""Entry script of the Article page (`article?id=...`)."""

from dashboard import article_view

article_view.render()
