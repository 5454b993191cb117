"""Store: one backend interface (GeoPackage, PostGIS), corrections, queries and exports."""
