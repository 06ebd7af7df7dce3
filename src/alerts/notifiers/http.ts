// POSTs a body and treats anything but 2xx as a failed delivery (shared by the notifiers that speak HTTP).
import { FirstReplyError, errorMessage } from '../../core/errors.ts';

export async function postJson(url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<void> {
  await postBody(url, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', ...headers }, signal);
}

export async function postBody(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'user-agent': 'firstreply-alerts', ...headers }, body, signal });
  } catch (err) {
    throw new FirstReplyError('NOTIFIER_FAILED', `POST ${redact(url)} failed: ${errorMessage(err)}`, {}, { cause: err });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new FirstReplyError('NOTIFIER_FAILED', `POST ${redact(url)} answered ${response.status} ${response.statusText}: ${text.slice(0, 200)}`, {
      status: response.status,
    });
  }
}

/** Webhook URLs often carry their secret in the path: logs show the origin only. */
function redact(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return 'the webhook URL';
  }
}

/** Cuts text to a peer's field limit, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
