"""The model: editable data files, counter-based randomness, households, threats, population, timelines."""
