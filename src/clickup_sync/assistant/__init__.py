"""The local AI assistant: a small model answers questions with a handful of MCP tools.

A 4B model picks badly among dozens of tools, so each question is first routed to at most
eight tools (`router`), the model chooses one call among those, the MCP server runs it, and
the model answers from the compact result. The weekly executive report lives in `report`.
"""
