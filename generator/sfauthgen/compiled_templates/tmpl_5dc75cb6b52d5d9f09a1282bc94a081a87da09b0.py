from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'externalCredential.xml.j2'

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
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<ExternalCredential xmlns="http://soap.sforce.com/2006/04/metadata">\n    <authenticationProtocol>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).authentication_protocol))
    yield '</authenticationProtocol>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).description is None)):
        pass
        yield '    <description>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).description))
        yield '</description>\n'
    for l_1_param in ((undefined(name='component') if l_0_component is missing else l_0_component)).parameters:
        _loop_vars = {}
        pass
        yield '    <externalCredentialParameters>\n'
        if (not ((l_1_param).auth_provider is None)):
            pass
            yield '        <authProvider>'
            yield str(environment.finalize((l_1_param).auth_provider))
            yield '</authProvider>\n'
        if (not ((l_1_param).certificate is None)):
            pass
            yield '        <certificate>'
            yield str(environment.finalize((l_1_param).certificate))
            yield '</certificate>\n'
        if (not ((l_1_param).description is None)):
            pass
            yield '        <description>'
            yield str(environment.finalize((l_1_param).description))
            yield '</description>\n'
        if (not ((l_1_param).parameter_group is None)):
            pass
            yield '        <parameterGroup>'
            yield str(environment.finalize((l_1_param).parameter_group))
            yield '</parameterGroup>\n'
        yield '        <parameterName>'
        yield str(environment.finalize((l_1_param).parameter_name))
        yield '</parameterName>\n        <parameterType>'
        yield str(environment.finalize((l_1_param).parameter_type))
        yield '</parameterType>\n'
        if (not ((l_1_param).parameter_value is None)):
            pass
            yield '        <parameterValue>'
            yield str(environment.finalize((l_1_param).parameter_value))
            yield '</parameterValue>\n'
        if (not ((l_1_param).sequence_number is None)):
            pass
            yield '        <sequenceNumber>'
            yield str(environment.finalize((l_1_param).sequence_number))
            yield '</sequenceNumber>\n'
        yield '    </externalCredentialParameters>\n'
    l_1_param = missing
    yield '    <label>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).label))
    yield '</label>\n</ExternalCredential>\n'

blocks = {}
debug_info = '3=19&4=21&5=24&7=26&9=30&10=33&12=35&13=38&15=40&16=43&18=45&19=48&21=51&22=53&23=55&24=58&26=60&27=63&31=68'