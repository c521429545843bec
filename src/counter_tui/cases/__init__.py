"""Cases (办件): intake at the window and its outcomes — accept, one-time notice, refuse, 容缺."""
