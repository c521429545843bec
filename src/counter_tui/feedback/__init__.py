"""Feedback (DESIGN §3): ratings (好差评) and hard cases (办不成事) with their follow-up loops."""
