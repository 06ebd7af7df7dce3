// Secrets stay out of files: where one belongs, the value must be a ${VAR} reference, never the secret itself.
interface SecretProblem {
  path: (string | number)[];
  message: string;
}

const secretKey =
  /^(pass|password|passwd|passphrase|secret|client_secret|token|api_key|apikey|api_token|access_token|auth_token|admin_token|private_key|authorization|routing_key|integration_key)$/i;
const reference = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}$/;
const credentialParam = /^(token|access_token|api_key|apikey|key|secret|sig|signature|password|pass|auth)$/i;

/** A URL that carries a credential: user:password@, a token-like query parameter, or a Slack- or Discord-style webhook path. */
function urlCredential(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.password !== '') return 'a URL with a password in it';
  const param = [...url.searchParams.keys()].find((k) => credentialParam.test(k));
  if (param !== undefined) return `a URL with a "${param}" parameter`;
  if (/(^|\.)hooks\.slack\.com$/i.test(url.hostname) || /\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\//.test(url.pathname))
    return 'a webhook URL (its path is the secret)';
  if (/\/api\/webhooks\/\d+\/[\w-]+/.test(url.pathname)) return 'a webhook URL (its path is the secret)';
  return undefined;
}

/**
 * Walks a file's values before ${VAR} expansion. `fallbackAllowed` lets `${VAR:-default}` stand (the demo sandbox's
 * loopback passwords); elsewhere a default would be the secret written in the file after all.
 */
export function clearTextSecrets(value: unknown, fallbackAllowed: boolean, path: (string | number)[] = []): SecretProblem[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => clearTextSecrets(item, fallbackAllowed, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const at = [...path, key];
      if (secretKey.test(key) && item !== null && item !== undefined && typeof item !== 'object') {
        const text = String(item);
        const ref = reference.exec(text);
        if (!ref)
          return [
            {
              path: at,
              message: `a secret must not be written in the file: use a \${VAR} reference (e.g. ${key}: \${FIRSTREPLY_${key.toUpperCase()}}) and set it in the environment`,
            },
          ];
        if (ref[2] !== undefined && ref[2] !== ':-' && !fallbackAllowed)
          return [{ path: at, message: `the default after ":-" would be a clear-text secret: use \${${ref[1]}} without a default` }];
        return [];
      }
      return clearTextSecrets(item, fallbackAllowed, at);
    });
  }
  if (typeof value === 'string') {
    const what = urlCredential(value);
    if (what !== undefined)
      return [{ path, message: `${what} must not be written in the file: put the whole URL in an environment variable and write \${VAR}` }];
  }
  return [];
}
