#!/usr/bin/env bash
# Installs what firstreply needs on a fresh Debian machine: node modules, Debian's chromium and dovecot.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "firstreply setup: installing node modules (npm ci)…" >&2
  npm ci --no-audit --no-fund >&2
fi
# The built CLI (dist/) starts faster than the sources through tsx; bin/firstreply.js runs whichever is current.
node --import tsx scripts/build.ts >&2 || echo "firstreply setup: the build failed; bin/firstreply.js runs the sources through tsx" >&2

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd dovecot-lmtpd)
# A CJK font, so the Chinese pages and screenshots show text instead of empty boxes.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
# pdftotext and pdfinfo: the PDF report test reads the printed report back.
[ -x /usr/bin/pdftotext ] || missing+=(poppler-utils)
# Request Tracker 5 for the peer tests (tests/peers/helpers/rt.ts runs it from a temp dir). Its package wants a mail
# server: Postfix, left unconfigured, so neither it nor RT's database set-up runs anything system-wide.
rt=0
if ! { [ -x /usr/share/request-tracker5/libexec/rt-server ] && [ -x /usr/sbin/rt-setup-database-5 ] \
  && [ -x /usr/bin/rt-mailgate-5 ] && dpkg -s rt5-db-sqlite >/dev/null 2>&1; }; then
  rt=1
  missing+=(request-tracker5 rt5-db-sqlite rt5-clients rt5-standalone postfix)
fi
# Packages only the peer tests (tests/peers) need: where they cannot be installed, those tests skip their peer and the
# peers summary says so; the rest of the suite runs. Postfix: a private instance per test (tests/peers/helpers/postfix.ts).
peers=()
[ -x /usr/lib/postfix/sbin/master ] || peers+=(postfix)
[ -f /usr/lib/dovecot/modules/lib90_sieve_plugin.so ] || peers+=(dovecot-sieve)
# Prosody: the XMPP server behind the converse.js chat test, run per test from a temp dir (tests/peers/helpers/prosody.ts).
[ -x /usr/bin/prosody ] || peers+=(prosody)
if [ ${#peers[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "firstreply setup: installing Debian packages for the peer tests: ${peers[*]}…" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Postfix left unconfigured: the system instance never starts; the tests run their own from a temp dir.
    echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${peers[@]}"; } >&2 \
      || echo "firstreply setup: could not install ${peers[*]}; the peer tests will skip them (see the peers summary)" >&2
    # Prosody's package starts its system service where it can; the tests never use it, so it is stopped and disabled.
    if [[ " ${peers[*]} " == *" prosody "* ]] && [ -x /usr/bin/prosody ]; then
      if [ -d /run/systemd/system ]; then
        systemctl disable --now prosody >&2 || echo "firstreply setup: could not stop the prosody service" >&2
      elif [ -x /etc/init.d/prosody ]; then
        /etc/init.d/prosody stop >&2 || true # not running: nothing to stop
        update-rc.d prosody disable >&2 || echo "firstreply setup: could not disable the prosody service" >&2
      fi
    fi
  else
    echo "firstreply setup: the peer tests skip what is missing: ${peers[*]}" >&2
    echo "  install them with: sudo apt-get install -y ${peers[*]}" >&2
  fi
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
