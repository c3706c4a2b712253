"""Thai for people: one vocabulary for every label, Thai dates and Thai text wrapping."""
