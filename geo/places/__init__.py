"""Places: the gazetteer, finding place mentions, geocoding, coordinates, boundaries and regions."""
