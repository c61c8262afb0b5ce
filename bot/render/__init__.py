"""Pure rendering: templates, tables, Markdown, the report in its formats, charts, previews.

The CLI imports most of these modules at start, so their heavy libraries wait for the
function that uses them (openpyxl, rich, markdown-it, babel). matplotlib is the exception,
imported by bot.render.charts itself: only bot.render.page reaches it, and `outreach report`
imports the page when an HTML page is asked for."""
