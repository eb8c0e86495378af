"""`make bench`: the speed and quality figures of clashmap, each printed beside its target."""
