"""Volumes: what each customer used of each service, per month."""
