// The one builder of a message row: what a watcher or a person knows about a reply, every other column null.
import type { MessageLabel } from '../core/labels.ts';
import type { NewMessage } from '../store/messages.ts';

type Required = 'source' | 'received_at' | 'detected_at' | 'label' | 'confidence';

/** The required facts of a reply, its reasons as a list, and whichever other columns the source knows. */
type MessageFields = Pick<NewMessage, Required> &
  Partial<Omit<NewMessage, Required | 'reasons' | 'label'>> & {
    label: MessageLabel;
    reasons: readonly string[];
  };

export function newMessage(fields: MessageFields): NewMessage {
  const { reasons, ...known } = fields;
  return {
    probe_id: null,
    mailbox: null,
    folder: null,
    uidvalidity: null,
    uid: null,
    message_id: null,
    in_reply_to: null,
    subject: null,
    from_addr: null,
    header_date: null,
    raw_path: null,
    raw_sha256: null,
    size: null,
    headers: null,
    body_text: null,
    match_method: null,
    parse_error: null,
    ...known,
    reasons: JSON.stringify(reasons),
  };
}
