"""clickup-sync: mirror a ClickUp workspace into PostgreSQL and answer questions about it."""

__version__ = "0.1.0"
