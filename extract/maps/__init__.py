"""Map data: ``countries.geojson``, the outlines of the countries around Syria from Natural Earth
1:110m Admin 0 countries (public domain, naturalearthdata.com; taken from the copy geopandas 0.14.4
shipped as ``datasets/naturalearth_lowres``), rings as lines, coordinates rounded to 0.01°."""
