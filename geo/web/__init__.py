"""Web: what the app draws and offers (folium layers, charts, labels, offline assets, uploads, forms)."""
