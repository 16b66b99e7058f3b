from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'namedCredential.xml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_component = resolve('component')
    l_0_legacy = missing
    try:
        t_1 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<NamedCredential xmlns="http://soap.sforce.com/2006/04/metadata">\n'
    l_0_legacy = ((undefined(name='component') if l_0_component is missing else l_0_component)).legacy
    context.vars['legacy'] = l_0_legacy
    context.exported_vars.add('legacy')
    yield '    <allowMergeFieldsInBody>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).allow_merge_fields_in_body))
    yield '</allowMergeFieldsInBody>\n    <allowMergeFieldsInHeader>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).allow_merge_fields_in_header))
    yield '</allowMergeFieldsInHeader>\n'
    if ((not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)) and (not (((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).auth_provider is None))):
        pass
        yield '    <authProvider>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).auth_provider))
        yield '</authProvider>\n'
    if ((not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)) and (not (((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).aws_region is None))):
        pass
        yield '    <awsRegion>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).aws_region))
        yield '</awsRegion>\n'
    if ((not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)) and (not (((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).aws_service is None))):
        pass
        yield '    <awsService>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).aws_service))
        yield '</awsService>\n'
    yield '    <calloutStatus>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).callout_status))
    yield '</calloutStatus>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).certificate is None)):
        pass
        yield '    <certificate>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).certificate))
        yield '</certificate>\n'
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).description is None)):
        pass
        yield '    <description>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).description))
        yield '</description>\n'
    if (not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)):
        pass
        yield '    <endpoint>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).endpoint))
        yield '</endpoint>\n'
    yield '    <generateAuthorizationHeader>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).generate_authorization_header))
    yield '</generateAuthorizationHeader>\n'
    if ((not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)) and (not (((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).jwt_audience is None))):
        pass
        yield '    <jwtAudience>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).jwt_audience))
        yield '</jwtAudience>\n'
    if ((not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)) and (not (((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).jwt_issuer is None))):
        pass
        yield '    <jwtIssuer>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).jwt_issuer))
        yield '</jwtIssuer>\n'
    if ((not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)) and (not (((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).jwt_signing_certificate is None))):
        pass
        yield '    <jwtSigningCertificate>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).jwt_signing_certificate))
        yield '</jwtSigningCertificate>\n'
    if ((not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)) and (not (((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).jwt_subject is None))):
        pass
        yield '    <jwtTextSubject>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).jwt_subject))
        yield '</jwtTextSubject>\n'
    if ((not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)) and (not (((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).jwt_validity_period_seconds is None))):
        pass
        yield '    <jwtValidityPeriodSeconds>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).jwt_validity_period_seconds))
        yield '</jwtValidityPeriodSeconds>\n'
    yield '    <label>'
    yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).label))
    yield '</label>\n'
    for l_1_param in ((undefined(name='component') if l_0_component is missing else l_0_component)).parameters:
        _loop_vars = {}
        pass
        yield '    <namedCredentialParameters>\n'
        if (not ((l_1_param).certificate is None)):
            pass
            yield '        <certificate>'
            yield str(environment.finalize((l_1_param).certificate))
            yield '</certificate>\n'
        if (not ((l_1_param).external_credential is None)):
            pass
            yield '        <externalCredential>'
            yield str(environment.finalize((l_1_param).external_credential))
            yield '</externalCredential>\n'
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
        yield '    </namedCredentialParameters>\n'
    l_1_param = missing
    if (not (((undefined(name='component') if l_0_component is missing else l_0_component)).named_credential_type is None)):
        pass
        yield '    <namedCredentialType>'
        yield str(environment.finalize(((undefined(name='component') if l_0_component is missing else l_0_component)).named_credential_type))
        yield '</namedCredentialType>\n'
    if ((not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)) and (not (((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).oauth_scope is None))):
        pass
        yield '    <oauthScope>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).oauth_scope))
        yield '</oauthScope>\n'
    if (not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)):
        pass
        yield '    <principalType>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).principal_type))
        yield '</principalType>\n    <protocol>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).protocol))
        yield '</protocol>\n'
    if ((not ((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy) is None)) and (not (((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).username is None))):
        pass
        yield '    <username>'
        yield str(environment.finalize(((undefined(name='legacy') if l_0_legacy is missing else l_0_legacy)).username))
        yield '</username>\n'
    yield '</NamedCredential>\n'

blocks = {}
debug_info = '3=20&4=24&5=26&6=28&7=31&9=33&10=36&12=38&13=41&15=44&16=46&17=49&19=51&20=54&22=56&23=59&25=62&26=64&27=67&29=69&30=72&32=74&33=77&35=79&36=82&38=84&39=87&41=90&42=92&44=96&45=99&47=101&48=104&50=107&51=109&52=111&53=114&55=116&56=119&60=123&61=126&63=128&64=131&66=133&67=136&68=138&70=140&71=143'