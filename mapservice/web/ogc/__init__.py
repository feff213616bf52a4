"""OGC API – Features (Part 1 Core, Part 2 CRS): routes, parameter parsing, CRS URIs, OpenAPI."""
