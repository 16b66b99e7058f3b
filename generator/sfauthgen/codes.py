"""Stable diagnostic codes: what each problem is called in text, JSON and SARIF output.

Prefixes: SFY files and YAML, SFS the JSON Schema, SFV variables, SFK secrets, SFC the
checks of each metadata kind (their codes live beside the checks, in `kinds/`), SFA lint
rules. A code, once published, keeps its meaning; a retired code is not reused.
"""

from __future__ import annotations

from sfauthgen.records import record


@record
class Code:
    id: str
    name: str  # a readable name, CamelCase as SARIF's reportingDescriptor.name
    summary: str


def _codes(*codes: Code) -> dict[str, Code]:
    return {code.id: code for code in codes}


# Files and YAML.
FILE = "SFY101"
YAML_SYNTAX = "SFY102"
DUPLICATE_KEY = "SFY103"
YAML_FEATURE = "SFY104"
BAD_CHARACTER = "SFY105"
# JSON Schema.
UNKNOWN_KEY = "SFS201"
MISSING_KEY = "SFS202"
WRONG_TYPE = "SFS203"
NOT_ALLOWED = "SFS204"
UNKNOWN_SCOPE = "SFS205"
BAD_FORMAT = "SFS206"
BAD_SIZE = "SFS207"
SCHEMA_OTHER = "SFS208"
API_TOO_LOW = "SFC003"
API_VERSION_CONFLICT = "SFS209"
# Variables.
UNKNOWN_VARIABLE = "SFV301"
UNSET_VARIABLE = "SFV302"
VARIABLE_TWICE = "SFV303"
UNDECLARED_IN_ENVIRONMENT = "SFV304"
NESTED_VARIABLE = "SFV305"
# Secrets.
SECRET_KEY = "SFK401"
SECRET_VALUE = "SFK402"
SECRET_VARIABLE = "SFK403"
# Import.
IMPORT_FILE = "SFI501"
IMPORT_VALUE = "SFI502"
NOT_IMPORTED = "SFI503"
NOT_ADOPTED = "SFI504"
# Org commands (the SFO6xx of `auth check`'s diagnosis live in org/diagnose.py).
ORG_LOGIN = "SFO614"
NETWORK = "SFO615"
CREDENTIAL_API = "SFO616"
BROWSER_PRINCIPAL = "SFO617"
SECRETS_INCOMPLETE = "SFO618"
# The output folder.
OUTPUT_FOLDER = "SFD701"
UNSAFE_PATH = "SFD702"
REFUSED_OVERWRITE = "SFD703"
APP_DELETION = "SFD704"
# The command line (click's own usage errors, and --var/--env naming nothing in the spec).
USAGE = "SFU801"

CORE: dict[str, Code] = _codes(
    Code(FILE, "SpecFile", "A spec file cannot be read: missing, too large, not UTF-8, or no spec files found."),
    Code(YAML_SYNTAX, "YamlSyntax", "The file is not valid YAML."),
    Code(DUPLICATE_KEY, "DuplicateKey", "A mapping repeats a key (YAML would silently keep the last)."),
    Code(YAML_FEATURE, "YamlFeature", "A YAML feature specs do not use: tags, merge keys, non-string keys, "
         "recursive or exploding aliases."),
    Code(BAD_CHARACTER, "BadCharacter", "A control character, U+FFFE or U+FFFF that metadata XML cannot hold."),
    Code(UNKNOWN_KEY, "UnknownKey", "A key the spec language does not have."),
    Code(MISSING_KEY, "MissingKey", "A required key is missing."),
    Code(WRONG_TYPE, "WrongType", "A value of the wrong type, including YAML 1.1 values that need quoting."),
    Code(NOT_ALLOWED, "ValueNotAllowed", "A value outside the allowed set (often a Salesforce value where the "
         "spec value belongs)."),
    Code(UNKNOWN_SCOPE, "UnknownScope", "An OAuth scope Salesforce does not have."),
    Code(BAD_FORMAT, "BadFormat", "A value of the wrong form: API name, URL, email, date, header name."),
    Code(BAD_SIZE, "BadSize", "A value or list too long, too short, out of range, or with repeated items."),
    Code(SCHEMA_OTHER, "SchemaViolation", "Another JSON Schema rule of the spec language."),
    Code(API_TOO_LOW, "ApiVersionTooLow", "api_version is below the version that has a metadata type or setting "
         "the spec uses."),
    Code(API_VERSION_CONFLICT, "ApiVersionConflict", "Spec files of one run set different api_version values."),
    Code(UNKNOWN_VARIABLE, "UnknownVariable", "${var.NAME} names no declared variable."),
    Code(UNSET_VARIABLE, "UnsetVariable", "A variable used here has no value for this run."),
    Code(VARIABLE_TWICE, "VariableDeclaredTwice", "A variable (or an environment's value) is declared twice."),
    Code(UNDECLARED_IN_ENVIRONMENT, "UndeclaredEnvironmentVariable",
         "An environment sets a variable that is not declared."),
    Code(NESTED_VARIABLE, "NestedVariable", "A variable's value refers to another variable."),
    Code(SECRET_KEY, "SecretKey", "A key that only ever holds a secret; secrets never go in a spec."),
    Code(SECRET_VALUE, "SecretValue", "A value that looks like a secret (private key, token, API key)."),
    Code(SECRET_VARIABLE, "SecretVariable", "A variable's value looks like a secret."),
    Code(IMPORT_FILE, "ImportFile", "A metadata file import cannot read: not well-formed, not valid Metadata API "
         "XML, the wrong root element, or not a file import reads."),
    Code(IMPORT_VALUE, "ImportValue", "A metadata value Salesforce does not accept."),
    Code(NOT_IMPORTED, "NotImported", "Something in an imported file that the spec does not carry, or that generate "
         "would not reproduce: reported, never dropped silently."),
    Code(NOT_ADOPTED, "NotAdopted", "A file import --adopt leaves unowned: the spec does not generate it byte for "
         "byte, or generate would write it elsewhere."),
    Code(ORG_LOGIN, "OrgLogin", "No org session: the sf CLI is missing, the alias is unknown or its session expired, "
         "or SF_ACCESS_TOKEN and SF_INSTANCE_URL are unusable."),
    Code(NETWORK, "Network", "The org or the login host could not be reached, or answered with something that is "
         "not Salesforce's API."),
    Code(CREDENTIAL_API, "CredentialApi", "The org refused to read or store a principal's credential."),
    Code(BROWSER_PRINCIPAL, "BrowserPrincipal", "secrets set on a principal that authenticates through the browser: "
         "there is no secret to store (authenticate it in Setup)."),
    Code(SECRETS_INCOMPLETE, "SecretsIncomplete", "secrets set would drop values the principal holds in the org: an "
         "update replaces them all."),
    Code(OUTPUT_FOLDER, "OutputFolder", "The output folder cannot be read or written as asked: an unreadable project "
         "file or manifest, an interrupted run, a file in the way."),
    Code(UNSAFE_PATH, "UnsafePath", "A path in the output folder that is a symbolic or hard link or a special file, "
         "or that would leave the folder."),
    Code(REFUSED_OVERWRITE, "RefusedOverwrite", "A file edited by hand, or not written by sfauthgen, that the run "
         "would change (--force overwrites it)."),
    Code(APP_DELETION, "AppDeletion", "The run would delete an app (gone from the spec, or queued for deletion) "
         "without --allow-delete."),
    Code(USAGE, "Usage", "A command line sfauthgen cannot run: a missing or unknown option, a --var or --env that "
         "names nothing in the spec."),
)
