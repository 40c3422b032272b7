"""Chinese labels beside the English column names: the ``zh_label`` template filter, and regkb's style sheet.

A column's description in metadata.yml opens with its Chinese name (「省份 Province of the authority」); the table
header, the facets and the decision page show that name with the column's own name beside it, so the label and the
help text cannot drift apart.
"""

import re

from datasette import hookimpl

_LEADING_CHINESE = re.compile(r"^\s*([^\sA-Za-z][^\s]*)\s")


def zh_label(description) -> str:
    """「省份 Province of the authority」 → 「省份」; "" when the description does not open with a Chinese name."""
    match = _LEADING_CHINESE.match(str(description or "") + " ")
    return match.group(1) if match and re.search(r"[\u4e00-\u9fff]", match.group(1)) else ""


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["zh_label"] = zh_label


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/regkb-assets/regkb.css")]
