"""Raw extracts to the processed panel: importers, cleaning, derived series, the build."""
