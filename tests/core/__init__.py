"""Tests of the headless core: journal, accounts, site, schema, settings, CLI, import hygiene."""
