"""The toolkit for the data files a county admin edits (the catalog, the calendar): read a TOML
file, report each problem at its file and line in Chinese, read typed fields by a spec.

`lines` maps key paths to lines, `reading` reads a file and collects its problems, `fields`
reads values and records. Nothing is imported here.
"""
