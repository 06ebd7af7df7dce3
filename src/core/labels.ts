// The labels a message can carry: what the classifier decides and what a person's review may set.
export const messageLabels = ['human', 'auto_ack', 'out_of_office', 'bounce', 'bot', 'marketing', 'system', 'unknown'] as const;
export type MessageLabel = (typeof messageLabels)[number];
