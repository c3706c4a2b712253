"""Exercises and views: what a trainee sees of a family, and how an answer is checked."""
