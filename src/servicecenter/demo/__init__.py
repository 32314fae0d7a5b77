"""The demo: an illustrative organisation built to match the seeds' published totals.

``figures`` holds every published number used (with its source); ``allocation`` turns totals
into per-customer numbers that add up to them exactly; ``build`` writes the database;
``national`` writes the synthetic national-scale data set for the benchmarks.
"""
