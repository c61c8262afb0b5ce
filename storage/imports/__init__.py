"""All-or-nothing importers of CSV and XLSX files, with line numbers on every problem."""
