"""Analysis functions of the claim notebooks (one module per claim)."""
