"""Notices (文书) handed to the applicant: receipt, one-time notice, refusal, 容缺 commitment,
termination and correction notices — composed from one record of facts (facts, compose, parts),
laid out as plain text (text) or A4 PDF (pdf), then saved and printed (printing). See
docs/notices.md.

Nothing is imported here, so that reading a stored notice (content) costs no PDF machinery.
"""
