"""The intake section (F2), one module per job: `screen` (the outcomes and the status line),
`item` (the item search), `form` (the applicant and agent fields: what was typed, looked ahead
as it is typed), `checklist` (the materials and 办理情形 with a key per mark), `drafts` (saved
as typed, restored at sign-in, discarded on Ctrl+N) and `finder` (Ctrl+O: resume or open a
case). The mark each checklist key gives is `cases.rules`."""
