"""Wire models generated from spec/ (see scripts/generate-schemas)."""
