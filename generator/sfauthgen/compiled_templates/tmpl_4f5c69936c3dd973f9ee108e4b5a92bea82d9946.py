from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'ecaOauth.xml.j2'

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
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">\n    <commaSeparatedOauthScopes>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).scopes))
    yield '</commaSeparatedOauthScopes>\n    <externalClientApplication>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).app))
    yield '</externalClientApplication>\n    <isFirstPartyAppEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_first_party_app_enabled))
    yield '</isFirstPartyAppEnabled>\n    <label>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).name))
    yield '</label>\n'
    for l_1_range in ((undefined(name='component') if l_0_component is missing else l_0_component)).trusted_ip_ranges:
        _loop_vars = {}
        pass
        yield '    <trustedIpRanges>\n'
        if (not ((l_1_range).description is None)):
            pass
            yield '        <description>'
            yield str(environment.finalize((l_1_range).description))
            yield '</description>\n'
        yield '        <endIpAddress>'
        yield str(environment.finalize((l_1_range).end))
        yield '</endIpAddress>\n        <startIpAddress>'
        yield str(environment.finalize((l_1_range).start))
        yield '</startIpAddress>\n    </trustedIpRanges>\n'
    l_1_range = missing
    yield '</ExtlClntAppOauthSettings>\n'

blocks = {}
debug_info = '3=19&4=21&5=23&6=25&7=27&9=31&10=34&12=37&13=39'