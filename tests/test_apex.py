"""Apex callout classes and their tests: valid to Salesforce's own parser and to apex-ls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from sfauthgen.cli import run

from conftest import REPO, SPECS, write_spec
from helpers import render_text
from tools import apex_ls, parse_errors

ALL_METHODS = """\
version: 1
api_version: "64.0"
external_credentials:
  - {name: Orders_Auth, label: Orders Auth, protocol: basic, principals: [{name: Service, access: [Orders_Access]}]}
named_credentials:
  - name: Orders_API
    label: Orders API's "v2" */ endpoint
    url: https://orders.example.com
    external_credential: Orders_Auth
    apex:
      class: OrdersClient
      timeout_seconds: 120
      grant_to: [Orders_Apex, Zeta_Apex]
      operations:
        - {name: getOrder, method: GET, path: "/v2/orders/{orderId}/lines/{lineId}"}
        - {name: createOrder, method: POST, path: /v2/orders, body: json}
        - {name: replaceOrder, method: PUT, path: "/v2/orders/{orderId}", body: json}
        - {name: patchOrder, method: PATCH, path: "/v2/orders/{orderId}", body: json}
        - {name: cancelOrder, method: DELETE, path: "/v2/o'rders/{orderId}"}
        - {name: touch, method: POST, path: /v2/ping}
permission_sets:
  - {name: Orders_Access, label: Orders Access}
  - {name: Orders_Apex, label: Orders Apex}
  - {name: Zeta_Apex, label: Zeta Apex}
"""

CLASSES = "force-app/main/default/classes"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The example specs and a spec using every method, generated into one SFDX project."""
    root = tmp_path_factory.mktemp("apex")
    specs = root / "specs"
    specs.mkdir()
    for spec in SPECS.glob("*.yaml"):
        (specs / spec.name).write_text(spec.read_text())
    (specs / "certs").mkdir()
    (specs / "certs" / "data_migration.crt").write_text((SPECS / "certs" / "data_migration.crt").read_text())
    write_spec(specs, ALL_METHODS.replace('api_version: "64.0"\n', ""), "orders.yaml")
    out = root / "project"
    assert run(["generate", str(specs), "-d", str(out), "-q"]) == 0
    return out


def test_every_generated_class_parses_with_salesforce_parser(project):
    classes = sorted((project / CLASSES).glob("*.cls"))
    assert [c.name for c in classes] == [
        "MigrationValidatorCallout.cls", "MigrationValidatorCalloutTest.cls",
        "OrdersClient.cls", "OrdersClientTest.cls",
    ]
    for cls in classes:
        assert parse_errors(cls) == [], cls.name


def test_parser_check_can_fail(tmp_path):
    broken = tmp_path / "Broken.cls"
    broken.write_text("public class Broken { public static void x( }")
    assert parse_errors(broken)


def test_apex_ls_finds_no_issues(project):
    result = apex_ls(project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_apex_ls_check_can_fail(project, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(project, broken)
    cls = broken / CLASSES / "OrdersClient.cls"
    cls.write_text(cls.read_text().replace("JSON.deserializeUntyped(", "JSON.deserializeUntypedTypo("))
    result = apex_ls(broken)
    assert result.returncode != 0
    assert "deserializeUntypedTypo" in result.stdout + result.stderr


def test_class_shape(tmp_path):
    files = render_text(tmp_path, ALL_METHODS)
    source = files["ApexClass:OrdersClient"].content
    assert "public static Object getOrder(String orderId, String lineId) {" in source
    assert ("newRequest('GET', '/v2/orders/' + encodePathSegment('orderId', orderId) + '/lines/' "
            "+ encodePathSegment('lineId', lineId));") in source
    assert "public static Object createOrder(Map<String, Object> body) {" in source
    assert "public static Object replaceOrder(String orderId, Map<String, Object> body) {" in source
    assert "public static Object touch() {" in source
    assert "private static final Integer TIMEOUT_MS = 120000;" in source
    assert "private static final String NAMED_CREDENTIAL = 'callout:Orders_API';" in source
    # A quote in a path is escaped for the Apex literal; a comment never closes early.
    assert "newRequest('DELETE', '/v2/o\\'rders/' + encodePathSegment('orderId', orderId));" in source
    assert "Calls Orders API's \"v2\" * / endpoint through" in source
    assert source.count("*/") == source.count("/**")


def test_test_class_covers_each_operation_and_the_error_path(tmp_path):
    files = render_text(tmp_path, ALL_METHODS)
    test = files["ApexClass:OrdersClientTest"].content
    for name in ("getOrder", "createOrder", "replaceOrder", "patchOrder", "cancelOrder", "touch"):
        assert f"static void {name}SendsRequestAndParsesResponse()" in test
    assert "System.assertEquals('callout:Orders_API/v2/orders/orderId%201%2F2/lines/lineId%201%2F2', " in test
    assert "System.assertEquals('PATCH', mock.received.getMethod());" in test
    assert "static void errorStatusThrowsWithStatusAndBoundedBody()" in test
    assert "static void blankPathParameterIsRejected()" in test
    assert test.startswith("/**") and "@IsTest\nprivate class OrdersClientTest {" in test


def test_meta_files_carry_the_api_version(tmp_path):
    out = tmp_path / "out"
    assert run(["generate", str(write_spec(tmp_path, ALL_METHODS)), "-d", str(out), "-q"]) == 0
    for name in ("OrdersClient", "OrdersClientTest"):
        meta = (out / CLASSES / f"{name}.cls-meta.xml").read_text()
        assert meta == (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n'
            "    <apiVersion>64.0</apiVersion>\n"
            "    <status>Active</status>\n"
            "</ApexClass>\n"
        )


def test_grant_to_adds_class_access(tmp_path):
    files = render_text(tmp_path, ALL_METHODS)
    ns = {"m": "http://soap.sforce.com/2006/04/metadata"}
    for name in ("Orders_Apex", "Zeta_Apex"):
        root = etree.fromstring(files[f"PermissionSet:{name}"].content.encode())
        assert [(a.findtext("m:apexClass", namespaces=ns), a.findtext("m:enabled", namespaces=ns))
                for a in root.findall("m:classAccesses", ns)] == [("OrdersClient", "true")]
    access = etree.fromstring(files["PermissionSet:Orders_Access"].content.encode())
    assert access.findall("m:classAccesses", ns) == []


def test_principal_and_class_access_in_one_set_warns(cli, tmp_path):
    spec = write_spec(tmp_path, ALL_METHODS.replace("grant_to: [Orders_Apex, Zeta_Apex]",
                                                    "grant_to: [Orders_Access]"))
    assert cli("validate", spec).code == 0
    result = cli("lint", spec, "--today", "2026-12-02")
    assert ("SFA025 warning: permission set 'Orders_Access' gets both principal access and Apex class access"
            in result.err)


def test_apex_templates_print_only_filtered_values():
    """Every value printed into Apex passes an Apex filter, never XML escaping."""
    for template in (REPO / "templates").glob("*.cls.j2"):
        for expression in re.findall(r"\{\{(.*?)\}\}", template.read_text()):
            assert re.search(r"\|\s*apex_(string|identifier|integer|comment|parameters|arguments)\s*$",
                             expression), (template.name, expression)


def test_apex_environment_refuses_a_bare_value_and_never_xml_escapes():
    from sfauthgen.diagnostics import InternalError
    from sfauthgen.templating import apex_environment, xml_environment

    env = apex_environment()
    assert env.from_string("{{ x | apex_string }}").render(x="R&D <'Ops'>") == "'R&D <\\'Ops\\'>'"
    with pytest.raises(InternalError, match="without an Apex filter"):
        env.from_string("{{ x }}").render(x="R&D")
    assert xml_environment().from_string("{{ x }}").render(x="R&D <'Ops'>") == "R&amp;D &lt;&apos;Ops&apos;&gt;"


def test_principal_access_and_listed_apex_classes_in_one_set_warns(cli, tmp_path):
    spec = write_spec(tmp_path, ALL_METHODS.replace("  - {name: Orders_Access, label: Orders Access}",
                                                    "  - {name: Orders_Access, label: Orders Access, "
                                                    "apex_classes: [Other]}"))
    assert cli("validate", spec).code == 0
    result = cli("lint", spec, "--today", "2026-12-02")
    assert ("SFA025 warning: permission set 'Orders_Access' gets both principal access and Apex class access"
            in result.err)
