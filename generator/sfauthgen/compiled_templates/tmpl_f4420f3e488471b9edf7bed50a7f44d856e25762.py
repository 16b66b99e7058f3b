from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'apexClass.cls-meta.xml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_component = resolve('component')
    pass
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).api_version))
    yield '</apiVersion>\n    <status>Active</status>\n</ApexClass>\n'

blocks = {}
debug_info = '3=13'