from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'eca.xml.j2'

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
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<ExternalClientApplication xmlns="http://soap.sforce.com/2006/04/metadata">\n    <contactEmail>'
    yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).header).contact_email))
    yield '</contactEmail>\n'
    if (not ((((undefined(name='component') if l_0_component is missing else l_0_component)).header).contact_phone is None)):
        pass
        yield '    <contactPhone>'
        yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).header).contact_phone))
        yield '</contactPhone>\n'
    if (not ((((undefined(name='component') if l_0_component is missing else l_0_component)).header).description is None)):
        pass
        yield '    <description>'
        yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).header).description))
        yield '</description>\n'
    yield '    <distributionState>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).distribution_state))
    yield '</distributionState>\n'
    if (not ((((undefined(name='component') if l_0_component is missing else l_0_component)).header).icon_url is None)):
        pass
        yield '    <iconUrl>'
        yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).header).icon_url))
        yield '</iconUrl>\n'
    if (not ((((undefined(name='component') if l_0_component is missing else l_0_component)).header).info_url is None)):
        pass
        yield '    <infoUrl>'
        yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).header).info_url))
        yield '</infoUrl>\n'
    yield '    <isProtected>false</isProtected>\n    <label>'
    yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).header).label))
    yield '</label>\n'
    if (not ((((undefined(name='component') if l_0_component is missing else l_0_component)).header).logo_url is None)):
        pass
        yield '    <logoUrl>'
        yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).header).logo_url))
        yield '</logoUrl>\n'
    yield '</ExternalClientApplication>\n'

blocks = {}
debug_info = '3=19&4=21&5=24&7=26&8=29&10=32&11=34&12=37&14=39&15=42&18=45&19=47&20=50'