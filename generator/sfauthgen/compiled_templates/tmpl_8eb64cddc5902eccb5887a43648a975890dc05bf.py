from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'connectedApp.xml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_component = resolve('component')
    l_0_oauth = resolve('oauth')
    try:
        t_1 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n    <contactEmail>'
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
    for l_1_range in ((undefined(name='component') if l_0_component is missing else l_0_component)).ip_ranges:
        _loop_vars = {}
        pass
        yield '    <ipRanges>\n'
        if (not ((l_1_range).description is None)):
            pass
            yield '        <description>'
            yield str(environment.finalize((l_1_range).description))
            yield '</description>\n'
        yield '        <end>'
        yield str(environment.finalize((l_1_range).end))
        yield '</end>\n        <start>'
        yield str(environment.finalize((l_1_range).start))
        yield '</start>\n    </ipRanges>\n'
    l_1_range = missing
    yield '    <label>'
    yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).header).label))
    yield '</label>\n'
    if (not ((((undefined(name='component') if l_0_component is missing else l_0_component)).header).logo_url is None)):
        pass
        yield '    <logoUrl>'
        yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).header).logo_url))
        yield '</logoUrl>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).mobile_start_url is None)):
        pass
        yield '    <mobileStartUrl>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).mobile_start_url))
        yield '</mobileStartUrl>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).oauth_config is None)):
        pass
        l_0_oauth = ((undefined(name='component') if l_0_component is missing else l_0_component)).oauth_config
        context.vars['oauth'] = l_0_oauth
        context.exported_vars.add('oauth')
        yield '    <oauthConfig>\n        <callbackUrl>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).callback_url))
        yield '</callbackUrl>\n'
        if (not (((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).certificate is None)):
            pass
            yield '        <certificate>'
            yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).certificate))
            yield '</certificate>\n'
        if (not (((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).consumer_key is None)):
            pass
            yield '        <consumerKey>'
            yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).consumer_key))
            yield '</consumerKey>\n'
        yield '        <isAdminApproved>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_admin_approved))
        yield '</isAdminApproved>\n        <isClientCredentialEnabled>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_client_credential_enabled))
        yield '</isClientCredentialEnabled>\n        <isCodeCredentialEnabled>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_code_credential_enabled))
        yield '</isCodeCredentialEnabled>\n        <isCodeCredentialPostOnly>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_code_credential_post_only))
        yield '</isCodeCredentialPostOnly>\n        <isConsumerSecretOptional>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_consumer_secret_optional))
        yield '</isConsumerSecretOptional>\n        <isIntrospectAllTokens>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_introspect_all_tokens))
        yield '</isIntrospectAllTokens>\n        <isNamedUserJwtEnabled>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_named_user_jwt_enabled))
        yield '</isNamedUserJwtEnabled>\n        <isPkceRequired>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_pkce_required))
        yield '</isPkceRequired>\n        <isRefreshTokenRotationEnabled>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_refresh_token_rotation_enabled))
        yield '</isRefreshTokenRotationEnabled>\n        <isSecretRequiredForRefreshToken>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_secret_required_for_refresh_token))
        yield '</isSecretRequiredForRefreshToken>\n        <isSecretRequiredForTokenExchange>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_secret_required_for_token_exchange))
        yield '</isSecretRequiredForTokenExchange>\n        <isTokenExchangeEnabled>'
        yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).is_token_exchange_enabled))
        yield '</isTokenExchangeEnabled>\n'
        if (not (((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).oauth_client_credential_user is None)):
            pass
            yield '        <oauthClientCredentialUser>'
            yield str(environment.finalize(((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).oauth_client_credential_user))
            yield '</oauthClientCredentialUser>\n'
        for l_1_scope in ((undefined(name='oauth') if l_0_oauth is missing else l_0_oauth)).scopes:
            _loop_vars = {}
            pass
            yield '        <scopes>'
            yield str(environment.finalize(l_1_scope))
            yield '</scopes>\n'
        l_1_scope = missing
        yield '    </oauthConfig>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).oauth_policy is None)):
        pass
        yield '    <oauthPolicy>\n        <ipRelaxation>'
        yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).oauth_policy).ip_relaxation))
        yield '</ipRelaxation>\n        <isTokenExchangeFlowEnabled>'
        yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).oauth_policy).is_token_exchange_flow_enabled))
        yield '</isTokenExchangeFlowEnabled>\n        <refreshTokenPolicy>'
        yield str(environment.finalize((((undefined(name='component') if l_0_component is missing else l_0_component)).oauth_policy).refresh_token_policy))
        yield '</refreshTokenPolicy>\n    </oauthPolicy>\n'
    for l_1_name in ((undefined(name='component') if l_0_component is missing else l_0_component)).permission_set_names:
        _loop_vars = {}
        pass
        yield '    <permissionSetName>'
        yield str(environment.finalize(l_1_name))
        yield '</permissionSetName>\n'
    l_1_name = missing
    for l_1_name in ((undefined(name='component') if l_0_component is missing else l_0_component)).profile_names:
        _loop_vars = {}
        pass
        yield '    <profileName>'
        yield str(environment.finalize(l_1_name))
        yield '</profileName>\n'
    l_1_name = missing
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).session_timeout is None)):
        pass
        yield '    <sessionPolicy>\n        <sessionTimeout>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).session_timeout))
        yield '</sessionTimeout>\n    </sessionPolicy>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).start_url is None)):
        pass
        yield '    <startUrl>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).start_url))
        yield '</startUrl>\n'
    yield '</ConnectedApp>\n'

blocks = {}
debug_info = '3=20&4=22&5=25&7=27&8=30&10=32&11=35&13=37&14=40&16=42&18=46&19=49&21=52&22=54&25=58&26=60&27=63&29=65&30=68&32=70&33=72&35=76&36=78&37=81&39=83&40=86&42=89&43=91&44=93&45=95&46=97&47=99&48=101&49=103&50=105&51=107&52=109&53=111&54=113&55=116&57=118&58=122&62=126&64=129&65=131&66=133&69=135&70=139&72=142&73=146&75=149&77=152&80=154&81=157'