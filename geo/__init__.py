"""Everything about places: the gazetteer index, finding place names in text, and geocoding them."""
