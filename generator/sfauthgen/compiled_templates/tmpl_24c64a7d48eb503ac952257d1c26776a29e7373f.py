from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'authProvider.xml.j2'

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
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<AuthProvider xmlns="http://soap.sforce.com/2006/04/metadata">\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).authorize_url is None)):
        pass
        yield '    <authorizeUrl>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).authorize_url))
        yield '</authorizeUrl>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).consumer_key is None)):
        pass
        yield '    <consumerKey>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).consumer_key))
        yield '</consumerKey>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).custom_metadata_record is None)):
        pass
        yield '    <customMetadataTypeRecord>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).custom_metadata_record))
        yield '</customMetadataTypeRecord>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).default_scopes is None)):
        pass
        yield '    <defaultScopes>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).default_scopes))
        yield '</defaultScopes>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).error_url is None)):
        pass
        yield '    <errorUrl>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).error_url))
        yield '</errorUrl>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).execution_user is None)):
        pass
        yield '    <executionUser>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).execution_user))
        yield '</executionUser>\n'
    yield '    <friendlyName>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).friendly_name))
    yield '</friendlyName>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).icon_url is None)):
        pass
        yield '    <iconUrl>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).icon_url))
        yield '</iconUrl>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).id_token_issuer is None)):
        pass
        yield '    <idTokenIssuer>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).id_token_issuer))
        yield '</idTokenIssuer>\n'
    yield '    <includeOrgIdInIdentifier>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).include_org_id_in_identifier))
    yield '</includeOrgIdInIdentifier>\n    <isPkceEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_pkce_enabled))
    yield '</isPkceEnabled>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).logout_url is None)):
        pass
        yield '    <logoutUrl>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).logout_url))
        yield '</logoutUrl>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).plugin is None)):
        pass
        yield '    <plugin>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).plugin))
        yield '</plugin>\n'
    yield '    <providerType>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).provider_type))
    yield '</providerType>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).registration_handler is None)):
        pass
        yield '    <registrationHandler>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).registration_handler))
        yield '</registrationHandler>\n'
    yield '    <requireMfa>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).require_mfa))
    yield '</requireMfa>\n    <sendAccessTokenInHeader>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).send_access_token_in_header))
    yield '</sendAccessTokenInHeader>\n    <sendClientCredentialsInHeader>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).send_client_credentials_in_header))
    yield '</sendClientCredentialsInHeader>\n    <sendSecretInApis>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).send_secret_in_apis))
    yield '</sendSecretInApis>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).token_url is None)):
        pass
        yield '    <tokenUrl>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).token_url))
        yield '</tokenUrl>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).user_info_url is None)):
        pass
        yield '    <userInfoUrl>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).user_info_url))
        yield '</userInfoUrl>\n'
    yield '</AuthProvider>\n'

blocks = {}
debug_info = '3=19&4=22&6=24&7=27&9=29&10=32&12=34&13=37&15=39&16=42&18=44&19=47&21=50&22=52&23=55&25=57&26=60&28=63&29=65&30=67&31=70&33=72&34=75&36=78&37=80&38=83&40=86&41=88&42=90&43=92&44=94&45=97&47=99&48=102'