"""Presentation of the claims: one module per claim module, drawing figures and tables from the
results its estimation returns (the claim module itself never draws)."""
