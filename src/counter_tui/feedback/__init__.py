"""Ratings (好差评) and their follow-up loop (差评整改); hard cases (办不成事) join later."""
