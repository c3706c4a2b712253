"""Dashboards for the four levels: pure functions from documented tables to tables and figures."""
