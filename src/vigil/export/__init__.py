"""What other systems and people consume: STIX 2.1 bundles, flat rows for tables/JSON/CSV.

Only modules of this package import ``stix2``.
"""
