"""The item catalog (事项目录): guides, bundles and search."""
