"""MkDocs hooks: validate data/ before anything is built, and make one page per type.

A type page exists because its YAML file exists: adding data/types/<id>.yml adds
types/<id>/ to the site and to the navigation, with no other edit.
"""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs loads this file by path; make the `macros` package importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.data import DataError, load_handbook  # noqa: E402
from macros.render import contact_line  # noqa: E402

TYPES_NAV_MARKER = "types/"  # the nav entry in mkdocs.yml that lists the type pages
_handbook = None


def on_config(config):
    global _handbook
    try:
        _handbook = load_handbook(Path(config.config_file_path).parent / "data")
    except DataError as exc:
        raise PluginError(str(exc)) from None
    org = _handbook.organization
    # The site's name comes from the data, so that rebranding is a data edit.
    config.site_name = f"{org['name']} {org['handbook_title']}"
    config.extra["hb_contact_line"] = contact_line(_handbook.primary_contact)
    config.nav = [_expand_types(item) for item in config.nav or []]
    return config


def _expand_types(item):
    if isinstance(item, dict):
        ((title, value),) = item.items()
        if value == TYPES_NAV_MARKER:
            value = [
                {f"{t['number']} {t['short_title']}": f"types/{tid}.md"}
                for tid, t in _handbook.types.items()
            ]
        elif isinstance(value, list):
            value = [_expand_types(v) for v in value]
        return {title: value}
    return item


def on_files(files, config):
    for type_id in _handbook.types:
        files.append(
            File.generated(
                config, f"types/{type_id}.md", content=f'{{{{ type_page("{type_id}") }}}}\n'
            )
        )
    return files
