"""Entry script of the Map page (a file, so `AppTest.switch_page` can open it like a browser link)."""

from dashboard import map_page

map_page.render()
