// E-mail notices through one of settings.yaml's SMTP transports (nodemailer): plain text and HTML.
import type { NotifierModule } from './notifier.ts';
import { notifierSettingsSchemas } from './settings.ts';
import { FirstReplyError, errorMessage } from '../../core/errors.ts';
import type { SmtpSettings } from '../../config/schema.ts';
import { noticeHtml, noticeSubject, noticeText } from './render.ts';

/** nodemailer is loaded with the first notice, not when the program starts. */
async function transportFor(smtp: SmtpSettings) {
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'plain',
    auth: smtp.user && smtp.pass ? { user: smtp.user, pass: smtp.pass } : undefined,
    tls: { rejectUnauthorized: smtp.tls_reject_unauthorized },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
}

export const emailNotifier: NotifierModule<'email'> = {
  kind: 'email',
  settings: notifierSettingsSchemas.email,
  async send(target, notice, ctx) {
    const smtp = ctx.settings.smtp[target.smtp];
    if (!smtp) throw new FirstReplyError('NOTIFIER_FAILED', `no smtp transport "${target.smtp}" in settings.yaml`);
    const transport = await transportFor(smtp);
    const onAbort = (): void => transport.close();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      ctx.signal.throwIfAborted();
      await transport.sendMail({
        from: target.from ?? smtp.from,
        to: target.to,
        subject: noticeSubject(notice),
        text: noticeText(notice),
        html: noticeHtml(notice),
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Firstreply-Alert': notice.alert.id === null ? 'test' : String(notice.alert.id) },
      });
    } catch (err) {
      const reason = ctx.signal.aborted ? `cancelled: ${errorMessage(ctx.signal.reason)}` : errorMessage(err);
      throw new FirstReplyError('NOTIFIER_FAILED', `e-mail to ${target.to.join(', ')} via ${smtp.host}:${smtp.port} failed: ${reason}`, {}, { cause: err });
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      transport.close();
    }
  },
};
