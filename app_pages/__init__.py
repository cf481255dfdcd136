"""Streamlit pages and their cached data access."""
