"""Imports from CSV and Excel: one framework, one report, for the command line and the web."""
