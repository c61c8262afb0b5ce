"""Pure rendering: templates, tables, Markdown, the report in its formats, charts, previews.
Heavy libraries (matplotlib, openpyxl) are imported only by the functions that draw or write."""
