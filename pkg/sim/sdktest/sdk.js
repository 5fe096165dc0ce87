// Runs every Conversation AI operation of HighLevel's official Node SDK
// (@gohighlevel/api-client) with its default settings against the sandbox
// at SANDBOX_URL. Usage: SANDBOX_URL=... TOKEN=... MESSAGE_ID=... node sdk.js
// It prints one line per operation and exits non-zero on the first failure.
'use strict';
const { HighLevel } = require('@gohighlevel/api-client');

async function main() {
  // The only change to the SDK's defaults: where the API lives.
  HighLevel.BASE_URL = process.env.SANDBOX_URL;
  const ghl = new HighLevel({ privateIntegrationToken: process.env.TOKEN, logLevel: 'error' });
  const ai = ghl.conversationAi;
  const done = [];
  const step = async (name, fn) => {
    try {
      const out = await fn();
      done.push(name);
      console.log(`ok ${name}`);
      return out;
    } catch (err) {
      const status = err.statusCode || (err.response && err.response.status);
      const body = err.response ? JSON.stringify(err.response.data) : '';
      console.log(`FAIL ${name}: ${status || ''} ${err.message} ${body}`);
      process.exit(1);
    }
  };

  const agent = await step('createAgent', () => ai.createAgent({
    name: 'SDK agent', personality: 'friendly', goal: 'book visits', instructions: 'be brief',
    mode: 'auto-pilot', channels: ['SMS'],
  }));
  const agentId = agent.id;
  await step('getAgent', () => ai.getAgent({ agentId }));
  await step('updateAgent', () => ai.updateAgent({ agentId }, { autoPilotMaxMessages: 10, goal: 'book more visits' }));
  const found = await step('searchAgent', () => ai.searchAgent({ limit: 10 }));
  if (!found.agents.some((a) => a.id === agentId)) throw new Error('search lost the agent');
  const followup = {
    enabled: true, scenarioId: 'contactStoppedReplying',
    followupSequence: [{ id: 1, followupTimeUnit: 'hours', followupTime: 2 }],
  };
  const created = await step('createAction', () => ai.createAction({ agentId },
    { type: 'advancedFollowup', name: 'Nudge', details: followup }));
  const actionId = created.data.id;
  await step('listActions', () => ai.listActions({ agentId }));
  await step('getActionById', () => ai.getActionById({ agentId, actionId }));
  await step('updateAction', () => ai.updateAction({ agentId, actionId },
    { type: 'advancedFollowup', name: 'Nudge again', details: followup }));
  await step('updateFollowupSettings', () => ai.updateFollowupSettings({ agentId },
    { actionIds: [actionId], followupSettings: { dynamicChannelSwitching: true, timezoneToUse: 'contact' } }));
  await step('getGenerationDetails', () => ai.getGenerationDetails({ messageId: process.env.MESSAGE_ID, source: 'conversation' }));
  await step('deleteAction', () => ai.deleteAction({ agentId, actionId }));
  await step('deleteAgent', () => ai.deleteAgent({ agentId }));
  console.log(`sdk: ${done.length} operations ok`);
}

main().catch((err) => { console.log(`FAIL ${err.message}`); process.exit(1); });
