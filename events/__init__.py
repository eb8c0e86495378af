"""Finding the reported events in an article: dates, ACLED types, actors, numbers and claims."""
