"""Framework-free file formats: tabular files (CSV, Excel), later SIE 4, Peppol UBL and reports."""
