from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package.xml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_types = resolve('types')
    l_0_api_version = resolve('api_version')
    pass
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n'
    for l_1_type in (undefined(name='types') if l_0_types is missing else l_0_types):
        _loop_vars = {}
        pass
        yield '    <types>\n'
        for l_2_member in (l_1_type).members:
            _loop_vars = {}
            pass
            yield '        <members>'
            yield str(environment.finalize(l_2_member))
            yield '</members>\n'
        l_2_member = missing
        yield '        <name>'
        yield str(environment.finalize((l_1_type).name))
        yield '</name>\n    </types>\n'
    l_1_type = missing
    yield '    <version>'
    yield str(environment.finalize((undefined(name='api_version') if l_0_api_version is missing else l_0_api_version)))
    yield '</version>\n</Package>\n'

blocks = {}
debug_info = '3=14&5=18&6=22&8=26&11=30'