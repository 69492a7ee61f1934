import type { ConnectorDefinitionInput } from '../definition.js';
import { bodyInput, field, httpTuningFields, queryInput, secretField } from './build.js';

/** Slack reads JSON bodies only with this type, and warns `missing_charset` without the charset. */
const JSON_BODY = { 'Content-Type': 'application/json; charset=utf-8' };

/** Slack Web API with a bot token; Slack reports errors as HTTP 200 with `ok: false`. */
export const slackConnector: ConnectorDefinitionInput = {
  id: 'slack',
  name: 'Slack',
  icon: '#',
  description: 'Messages, channel invitations and user lookup in a Slack workspace.',
  baseUrl: '{{connection.baseUrl}}',
  fields: [
    field('baseUrl', 'API URL', {
      type: 'url',
      default: 'https://slack.com/api',
      description: 'Leave as is unless you use Slack GovSlack or a proxy.',
    }),
    secretField('botToken', 'Bot token', 'xoxb-… from your Slack app’s OAuth & Permissions page.'),
    ...httpTuningFields,
  ],
  auth: { scheme: 'bearer', token: '{{connection.botToken}}' },
  errors: 'slack',
  test: { method: 'GET', path: '/users.list?limit=1' },
  actions: [
    {
      name: 'postMessage',
      title: 'Post message',
      description: 'Posts to a channel, or to a person when given their user id.',
      method: 'POST',
      path: '/chat.postMessage',
      fixedHeaders: JSON_BODY,
      inputs: [
        bodyInput('channel', 'Channel id (C…) or user id (U…).'),
        bodyInput('text', 'The message.', { multiline: true }),
      ],
      outputs: [
        { name: 'ts', type: 'text', from: 'body.ts', description: 'The message’s timestamp id.' },
        { name: 'channel', type: 'text', from: 'body.channel', description: 'Where it was posted.' },
      ],
    },
    {
      name: 'inviteToChannel',
      title: 'Invite to channel',
      method: 'POST',
      path: '/conversations.invite',
      fixedHeaders: JSON_BODY,
      inputs: [bodyInput('channel', 'Channel id.'), bodyInput('users', 'User ids, separated by commas.')],
      outputs: [{ name: 'channel', type: 'object', from: 'body.channel', description: 'The channel.' }],
    },
    {
      name: 'lookupUserByEmail',
      title: 'Find user by email',
      path: '/users.lookupByEmail',
      inputs: [queryInput('email', 'Their email address.', { required: true })],
      outputs: [
        { name: 'id', type: 'text', from: 'body.user.id', description: 'The Slack user id.' },
        { name: 'user', type: 'object', from: 'body.user', description: 'The Slack user.' },
      ],
    },
  ],
};
