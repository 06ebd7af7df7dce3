#!/usr/bin/env bash
# Installs what firstreply needs on a fresh Debian machine: node modules, Debian's chromium and dovecot.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "firstreply setup: installing node modules (npm ci)…" >&2
  npm ci --no-audit --no-fund >&2
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd dovecot-lmtpd)
# A CJK font, so the Chinese pages and screenshots show text instead of empty boxes.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
# Request Tracker 5 for the peer tests (tests/peers/helpers/rt.ts runs it from a temp dir). Its package wants a mail
# server: Postfix, left unconfigured, so neither it nor RT's database set-up runs anything system-wide.
rt=0
if ! { [ -x /usr/share/request-tracker5/libexec/rt-server ] && [ -x /usr/sbin/rt-setup-database-5 ] \
  && [ -x /usr/bin/rt-mailgate-5 ] && dpkg -s rt5-db-sqlite >/dev/null 2>&1; }; then
  rt=1
  missing+=(request-tracker5 rt5-db-sqlite rt5-clients rt5-standalone postfix)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "firstreply setup: installing Debian packages: ${missing[*]}…" >&2
    export DEBIAN_FRONTEND=noninteractive
    if [ "$rt" = 1 ]; then
      debconf-set-selections <<'EOF'
request-tracker5 request-tracker5/dbconfig-install boolean false
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean false
postfix postfix/main_mailer_type select No configuration
EOF
    fi
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "firstreply setup: missing Debian packages: ${missing[*]}" >&2
    echo "  install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
