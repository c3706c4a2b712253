"""Running workshops: activity metadata, and later the computed agenda and printable packs."""
