from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'ecaPlcy.xml.j2'

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
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">\n    <externalClientApplication>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).app))
    yield '</externalClientApplication>\n    <isEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_enabled))
    yield '</isEnabled>\n    <isOauthPluginEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_oauth_plugin_enabled))
    yield '</isOauthPluginEnabled>\n    <label>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).name))
    yield '</label>\n    <startPage>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).start_page))
    yield '</startPage>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).start_url is None)):
        pass
        yield '    <startUrl>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).start_url))
        yield '</startUrl>\n'
    yield '</ExtlClntAppConfigurablePolicies>\n'

blocks = {}
debug_info = '3=19&4=21&5=23&6=25&7=27&8=29&9=32'