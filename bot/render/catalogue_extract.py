"""Write the catalogue's sources: each area's marked words into templates/locale/<area>.pot,
then merged into every language's .po (new words empty, removed words kept as obsolete),
as `pybabel extract` and `pybabel update` would, one domain per area."""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.render.catalogue import LOCALE, SOURCE_LANGUAGE, TEMPLATES, po_path
from storage.parties import UN_LANGUAGES

# Jinja's own extractor, with the options the environment renders with (bot.render.templates).
JINJA_OPTIONS = {"trimmed": "true", "trim_blocks": "true", "lstrip_blocks": "true"}
PROJECT = "1540 outreach"


def source_catalog(domain: str) -> Catalog:
    catalog = Catalog(project=PROJECT, domain=domain, fuzzy=False)
    found = extract_from_dir(
        TEMPLATES / domain,
        method_map=[("**.j2", "jinja2.ext:babel_extract")],
        options_map={"**.j2": JINJA_OPTIONS},
    )
    for filename, line, message, comments, context in found:
        location = (f"{domain}/{filename}", line)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        write_po(target, catalog, width=100, omit_header=False, sort_output=False,
                 include_previous=True)


def _keep_creation_date(template: Catalog, path: Path) -> None:
    """The committed .pot's date where its words are unchanged: extracting again without a
    change then rewrites no file (and merges of two branches' catalogues don't conflict on it)."""
    if not path.exists():
        return
    with path.open("rb") as source:
        committed = read_po(source)
    if {(m.context, str(m.id)) for m in committed if m.id} == \
            {(m.context, str(m.id)) for m in template if m.id}:
        template.creation_date = committed.creation_date


def extract(domain: str) -> list[Path]:
    """Write <domain>.pot and bring each language's <domain>.po up to it; the paths written."""
    template = source_catalog(domain)
    written = [LOCALE / f"{domain}.pot"]
    _keep_creation_date(template, written[0])
    _write(written[0], template)
    for language in UN_LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        path = po_path(language, domain)
        if path.exists():
            with path.open("rb") as source:
                catalog = read_po(source, locale=language, domain=domain)
        else:
            catalog = Catalog(locale=language, domain=domain, project=PROJECT, fuzzy=False)
        catalog.update(template, update_header_comment=False, no_fuzzy_matching=True)
        _write(path, catalog)
        written.append(path)
    return written
