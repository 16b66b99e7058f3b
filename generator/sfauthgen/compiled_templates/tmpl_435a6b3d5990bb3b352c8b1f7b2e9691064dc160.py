from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'ecaGlblOauth.xml.j2'

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
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppGlobalOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">\n    <callbackUrl>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).callback_url))
    yield '</callbackUrl>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).certificate is None)):
        pass
        yield '    <certificate>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).certificate))
        yield '</certificate>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).consumer_key is None)):
        pass
        yield '    <consumerKey>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).consumer_key))
        yield '</consumerKey>\n'
    yield '    <externalClientApplication>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).app))
    yield '</externalClientApplication>\n    <isClientCredentialsFlowEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_client_credentials_flow_enabled))
    yield '</isClientCredentialsFlowEnabled>\n    <isCodeCredFlowEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_code_cred_flow_enabled))
    yield '</isCodeCredFlowEnabled>\n    <isCodeCredPostOnly>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_code_cred_post_only))
    yield '</isCodeCredPostOnly>\n    <isConsumerSecretOptional>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_consumer_secret_optional))
    yield '</isConsumerSecretOptional>\n    <isDeviceFlowEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_device_flow_enabled))
    yield '</isDeviceFlowEnabled>\n    <isIntrospectAllTokens>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_introspect_all_tokens))
    yield '</isIntrospectAllTokens>\n    <isNamedUserJwtEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_named_user_jwt_enabled))
    yield '</isNamedUserJwtEnabled>\n    <isPkceRequired>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_pkce_required))
    yield '</isPkceRequired>\n    <isRefreshTokenRotationEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_refresh_token_rotation_enabled))
    yield '</isRefreshTokenRotationEnabled>\n    <isSecretRequiredForRefreshToken>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_secret_required_for_refresh_token))
    yield '</isSecretRequiredForRefreshToken>\n    <isSecretRequiredForTokenExchange>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_secret_required_for_token_exchange))
    yield '</isSecretRequiredForTokenExchange>\n    <isTokenExchangeEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_token_exchange_enabled))
    yield '</isTokenExchangeEnabled>\n    <label>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).name))
    yield '</label>\n    <shouldRotateConsumerKey>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).should_rotate_consumer_key))
    yield '</shouldRotateConsumerKey>\n    <shouldRotateConsumerSecret>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).should_rotate_consumer_secret))
    yield '</shouldRotateConsumerSecret>\n</ExtlClntAppGlobalOauthSettings>\n'

blocks = {}
debug_info = '3=19&4=21&5=24&7=26&8=29&10=32&11=34&12=36&13=38&14=40&15=42&16=44&17=46&18=48&19=50&20=52&21=54&22=56&23=58&24=60&25=62'