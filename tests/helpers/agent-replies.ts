// Agents' answers as a desk's people write them, shared by the scripted desk and the Request Tracker peer tests.

/** The agent's saved reply ("macro"): the same words on every ticket, only the greeting name and the ticket number change. */
export function macro(name: string, ticket: number): string {
  return [
    `Hi ${name},`,
    '',
    'Thanks for reaching out, and sorry for the trouble. I have looked at your account: your channels still run on our',
    'legacy ingest cluster, which is behind most of the problems our customers reported this month. I have moved them',
    `to the new cluster just now and noted the change on ticket #${ticket}. Please restart your encoder once so it picks`,
    'up the new ingest address; nothing else needs to change on your side.',
    '',
    'If you still see the same behaviour after the restart, reply here with the time it happened and I will dig further.',
    '',
    'Kind regards,',
    'Dana Whitfield',
    'Vendor Support',
  ].join('\n');
}

export const retitledAnswer = [
  'Hi Sam,',
  '',
  'I went through the ingest logs for your channel. The drops at 02:00 UTC line up with the nightly maintenance of our',
  'Frankfurt edge, which restarts the ingest nodes one after the other. I moved your channel to the Amsterdam edge, so',
  "tonight's stream should stay up. Could you tell me tomorrow whether it held through the night?",
  '',
  'Thanks,',
  'Lee Morgan',
  'Vendor Support',
].join('\n');
