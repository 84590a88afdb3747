"""Public pages of the catalogue: one module per page family (catalogue, check, feeds)."""
