"""The intake section (F2), one module per job: `screen` (the item, the outcomes, resuming a
case), `form` (the applicant and agent fields: what was typed, checked as it is typed),
`checklist` (the materials and 办理情形 with a key per mark) and `drafts` (saved as typed,
restored at sign-in, discarded on Ctrl+N). The marks each key gives are `cases.rules`."""
