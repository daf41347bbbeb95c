"""Write docs/claims.md from the claim registry (yrdlib/claims/registry/*.yml)."""

from __future__ import annotations

from yrdlib import config
from yrdlib.claims import registry

if __name__ == "__main__":
    out = config.ROOT / "docs" / "claims.md"
    out.write_text(registry.docs_markdown() + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(config.ROOT)}")
