"""The designation data model: tables, dates, database access, queries and analysis."""
