"""Where files go: folders and suffixes from the sf CLI's metadata registry (`metadata.registry`)."""

from __future__ import annotations

from functools import cache, lru_cache

from sfauthgen.metadata import API_NAME, registry
from sfauthgen.records import record

DEFAULT_PACKAGE_DIR = "force-app"

SOURCE, MDAPI = "source", "mdapi"
FORMATS = (SOURCE, MDAPI)


def _has_content_file(metadata_type: str) -> bool:
    return bool(registry()[metadata_type].get("strategies", {}).get("adapter") == "matchingContentFile")


@record
class Layout:
    """Where a component's files go: an SFDX project's package directory (source format),
    or a Metadata API folder with package.xml (mdapi format)."""

    package_dir: str = DEFAULT_PACKAGE_DIR
    format: str = SOURCE

    def _folder(self, metadata_type: str) -> str:
        folder = registry()[metadata_type]["directoryName"]
        return f"{self.package_dir}/main/default/{folder}" if self.format == SOURCE else folder

    def metadata_path(self, metadata_type: str, name: str) -> str:
        """The XML file: <Name>.<suffix>-meta.xml in source format; <Name>.<suffix> in mdapi,
        except beside a content file (Apex: <Name>.cls-meta.xml in both)."""
        suffix = registry()[metadata_type]["suffix"]
        meta = self.format == SOURCE or _has_content_file(metadata_type)
        return f"{self._folder(metadata_type)}/{name}.{suffix}" + ("-meta.xml" if meta else "")

    def content_path(self, metadata_type: str, name: str) -> str:
        """The content file of a matchingContentFile type (an Apex class's .cls)."""
        return f"{self._folder(metadata_type)}/{name}.{registry()[metadata_type]['suffix']}"


def component_of(path: str) -> tuple[str, str] | None:
    """(metadata type, member) of a file sfauthgen writes, from its folder and name."""
    parts = path.split("/")
    if len(parts) < 2:
        return None
    kind = _types_by_folder().get(parts[-2])
    if kind is None:
        return None
    return kind, parts[-1].split(".")[0]


@cache
def _types_by_folder() -> dict[str, str]:
    return {entry["directoryName"]: kind for kind, entry in registry().items()}


@cache
def _names_of(kind: str) -> tuple[str, str]:
    suffix = registry()[kind]["suffix"]
    return f".{suffix}", f".{suffix}-meta.xml"


def generated_file(path: str) -> bool:
    """Whether `path` is laid out as a metadata file generate writes: `<folder>/<Name>.<suffix>` (Metadata
    API format) or `<package dir>/main/default/<folder>/<Name>.<suffix>[-meta.xml]` (source format), with
    no hidden part. What the (untrusted) manifest and journal may name, besides package.xml."""
    folder, _, name = path.rpartition("/")
    kind = _kind_of_folder(folder)
    if kind is None:
        return False
    member = name.split(".", 1)[0]
    return name[len(member):] in _names_of(kind) and API_NAME.match(member) is not None


@lru_cache(maxsize=4096)
def _kind_of_folder(folder: str) -> str | None:
    """The metadata type whose files `folder` holds as generate lays them out; None for any other folder
    (a manifest lists thousands of files in a handful of folders: each folder is judged once)."""
    parts = folder.split("/")
    if any(part.startswith(".") for part in parts) or (len(parts) != 1 and parts[-3:-1] != ["main", "default"]):
        return None
    return _types_by_folder().get(parts[-1])
