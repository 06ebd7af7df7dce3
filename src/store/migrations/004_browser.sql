-- Chat probes: find a chat text seen before with the same vendor (a template) without scanning every message.
CREATE INDEX messages_chat_text ON messages (body_text) WHERE source = 'chat';
