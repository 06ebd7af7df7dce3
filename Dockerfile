# syntax=docker/dockerfile:1
# firstreply in one image: Node 20 from NodeSource's Debian packages, Debian's Chromium (web forms, chat widgets) and
# Dovecot (the demo's probe mailbox). Only Debian, NodeSource and the npm registry are used; no browser download.

FROM debian:bookworm-slim AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV DEBIAN_FRONTEND=noninteractive
# Unpinned on purpose: a rebuild picks up Debian's security updates; Node stays on the 20.x line of its repository.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor -o /usr/share/keyrings/nodesource.gpg \
 && printf 'Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\nComponents: main\nSigned-By: /usr/share/keyrings/nodesource.gpg\n' \
      > /etc/apt/sources.list.d/nodesource.sources \
 && apt-get update \
 && apt-get install -y --no-install-recommends nodejs \
 && apt-get purge -y gnupg curl && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*

# Node modules, with better-sqlite3 compiled against the installed Node's headers (its prebuilt binaries live outside
# the npm registry, and node-gyp would otherwise fetch headers from nodejs.org).
FROM base AS modules
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
ENV npm_config_build_from_source=true npm_config_nodedir=/usr PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
RUN npm ci --no-audit --no-fund && npm cache clean --force

FROM base
# dovecot-imapd/-lmtpd: the demo starts its own Dovecot as a child process with a throwaway config (no service, no root);
# the CJK font draws the Chinese pages; tini reaps Chromium's and Dovecot's children and forwards Ctrl-C.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium dovecot-imapd dovecot-lmtpd fonts-wqy-microhei tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --user-group firstreply
WORKDIR /app
COPY --from=modules --chown=firstreply:firstreply /app/node_modules ./node_modules
COPY --chown=firstreply:firstreply . .
RUN mkdir -p data && chown firstreply:firstreply data
USER firstreply
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
VOLUME ["/app/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--"]
# The demo: simulated vendors on loopback inside the container, the status page on :8080, data in data/demo/.
# (`npm run demo` would first run scripts/setup.sh, which wants root to install packages this image already has.)
# For your own vendors, mount a catalog on /app/probes and run: node bin/firstreply.js start
CMD ["node", "bin/firstreply.js", "demo"]
