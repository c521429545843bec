"""Sync between a node and its county hub: what travels, who sees it, and how it is applied once
(docs/sync.md)."""
