"""The append-only event log: the one write path for business state (DESIGN §4)."""
