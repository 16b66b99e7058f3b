"""Facts about Metadata API files that every stage shares: the namespace, and the sf CLI's
registry of folders and suffixes (data/registry.json, from @salesforce/source-deploy-retrieve)."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from sfauthgen.packagedata import data_file

METADATA_NS = "http://soap.sforce.com/2006/04/metadata"
# A metadata API name, optionally with a managed package namespace (ns__Name): what a member name
# (a file name) must be before sfauthgen names anything after it.
API_NAME = re.compile(r"^([A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__)?[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*\Z")


@cache
def registry() -> dict[str, dict[str, Any]]:
    text = data_file("data/registry.json").read_text("utf-8")
    types: dict[str, dict[str, Any]] = json.loads(text)["types"]
    return types
