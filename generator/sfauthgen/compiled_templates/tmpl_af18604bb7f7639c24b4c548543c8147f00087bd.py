from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'ecaOauthPlcy.xml.j2'

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
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).client_credentials_flow_user is None)):
        pass
        yield '    <clientCredentialsFlowUser>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).client_credentials_flow_user))
        yield '</clientCredentialsFlowUser>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).permission_sets is None)):
        pass
        yield '    <commaSeparatedPermissionSet>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).permission_sets))
        yield '</commaSeparatedPermissionSet>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).profiles is None)):
        pass
        yield '    <commaSeparatedProfile>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).profiles))
        yield '</commaSeparatedProfile>\n'
    yield '    <externalClientApplication>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).app))
    yield '</externalClientApplication>\n    <ipRelaxationPolicyType>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).ip_relaxation_policy_type))
    yield '</ipRelaxationPolicyType>\n    <isClientCredentialsFlowEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_client_credentials_flow_enabled))
    yield '</isClientCredentialsFlowEnabled>\n    <isGuestCodeCredFlowEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_guest_code_cred_flow_enabled))
    yield '</isGuestCodeCredFlowEnabled>\n    <isTokenExchangeFlowEnabled>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).is_token_exchange_flow_enabled))
    yield '</isTokenExchangeFlowEnabled>\n    <label>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).name))
    yield '</label>\n    <permittedUsersPolicyType>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).permitted_users_policy_type))
    yield '</permittedUsersPolicyType>\n    <refreshTokenPolicyType>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).refresh_token_policy_type))
    yield '</refreshTokenPolicyType>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).refresh_token_validity_period is None)):
        pass
        yield '    <refreshTokenValidityPeriod>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).refresh_token_validity_period))
        yield '</refreshTokenValidityPeriod>\n    <refreshTokenValidityUnit>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).refresh_token_validity_unit))
        yield '</refreshTokenValidityUnit>\n'
    yield '    <requiredSessionLevel>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).required_session_level))
    yield '</requiredSessionLevel>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).session_timeout_in_minutes is None)):
        pass
        yield '    <sessionTimeoutInMinutes>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).session_timeout_in_minutes))
        yield '</sessionTimeoutInMinutes>\n'
    yield '</ExtlClntAppOauthConfigurablePolicies>\n'

blocks = {}
debug_info = '3=19&4=22&6=24&7=27&9=29&10=32&12=35&13=37&14=39&15=41&16=43&17=45&18=47&19=49&20=51&21=54&22=56&24=59&25=61&26=64'