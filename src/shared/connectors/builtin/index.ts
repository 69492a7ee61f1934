import { connectorDefinitionSchema, type ConnectorDefinition } from '../definition.js';
import { boxConnector } from './box.js';
import { httpConnector } from './http.js';
import { ldapConnector } from './ldap.js';
import { oktaConnector } from './okta.js';
import { salesforceConnector } from './salesforce.js';
import { scimConnector } from './scim.js';
import { slackConnector } from './slack.js';
import { smtpConnector } from './smtp.js';

/** The connectors that ship with Flowstead, parsed once so defaults are filled in. */
export const BUILT_IN_CONNECTORS: readonly ConnectorDefinition[] = [
  httpConnector,
  oktaConnector,
  scimConnector,
  ldapConnector,
  smtpConnector,
  slackConnector,
  boxConnector,
  salesforceConnector,
].map((definition) => connectorDefinitionSchema.parse(definition));
