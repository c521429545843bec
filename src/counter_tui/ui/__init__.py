"""The Textual interface. The only package that imports Textual; it calls services and never
holds a database session across awaits."""
