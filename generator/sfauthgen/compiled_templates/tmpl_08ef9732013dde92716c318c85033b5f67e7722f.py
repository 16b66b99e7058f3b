from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'permissionset.xml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_component = resolve('component')
    try:
        t_1 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n'
    for l_1_name in ((undefined(name='component') if l_0_component is missing else l_0_component)).class_accesses:
        _loop_vars = {}
        pass
        yield '    <classAccesses>\n        <apexClass>'
        yield str(environment.finalize(l_1_name))
        yield '</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>\n'
    l_1_name = missing
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).description is None)):
        pass
        yield '    <description>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).description))
        yield '</description>\n'
    for l_1_principal in ((undefined(name='component') if l_0_component is missing else l_0_component)).principal_accesses:
        _loop_vars = {}
        pass
        yield '    <externalCredentialPrincipalAccesses>\n        <enabled>true</enabled>\n        <externalCredentialPrincipal>'
        yield str(environment.finalize(l_1_principal))
        yield '</externalCredentialPrincipal>\n    </externalCredentialPrincipalAccesses>\n'
    l_1_principal = missing
    yield '    <hasActivationRequired>false</hasActivationRequired>\n    <label>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).label))
    yield '</label>\n'
    for l_1_permission in ((undefined(name='component') if l_0_component is missing else l_0_component)).object_permissions:
        _loop_vars = {}
        pass
        yield '    <objectPermissions>\n        <allowCreate>'
        yield str(environment.finalize((l_1_permission).allow_create))
        yield '</allowCreate>\n        <allowDelete>'
        yield str(environment.finalize((l_1_permission).allow_delete))
        yield '</allowDelete>\n        <allowEdit>'
        yield str(environment.finalize((l_1_permission).allow_edit))
        yield '</allowEdit>\n        <allowRead>'
        yield str(environment.finalize((l_1_permission).allow_read))
        yield '</allowRead>\n        <modifyAllRecords>'
        yield str(environment.finalize((l_1_permission).modify_all_records))
        yield '</modifyAllRecords>\n        <object>'
        yield str(environment.finalize((l_1_permission).object))
        yield '</object>\n        <viewAllFields>'
        yield str(environment.finalize((l_1_permission).view_all_fields))
        yield '</viewAllFields>\n        <viewAllRecords>'
        yield str(environment.finalize((l_1_permission).view_all_records))
        yield '</viewAllRecords>\n    </objectPermissions>\n'
    l_1_permission = missing
    for l_1_name in ((undefined(name='component') if l_0_component is missing else l_0_component)).user_permissions:
        _loop_vars = {}
        pass
        yield '    <userPermissions>\n        <enabled>true</enabled>\n        <name>'
        yield str(environment.finalize(l_1_name))
        yield '</name>\n    </userPermissions>\n'
    l_1_name = missing
    yield '</PermissionSet>\n'

blocks = {}
debug_info = '3=19&5=23&9=26&10=29&12=31&15=35&19=39&20=41&22=45&23=47&24=49&25=51&26=53&27=55&28=57&29=59&32=62&35=66'